# r6 is set on one path only.
# type: raw
# expect: refuse
# reason: r6 is read before
call 7
jeq %r0, 0, +1
mov %r6, 1
mov %r0, %r6
exit
