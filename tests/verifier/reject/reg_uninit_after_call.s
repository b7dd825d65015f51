# r1-r5 are clobbered by a helper call.
# type: raw
# expect: refuse
# reason: r1 is read before
mov %r1, 5
call 7
mov %r0, %r1
exit
