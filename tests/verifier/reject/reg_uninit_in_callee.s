# A callee does not see the caller r6-r9.
# type: raw
# expect: refuse
# reason: r6 is read before
mov %r6, 1
call local f
exit
f:
mov %r0, %r6
exit
