# r1-r5 are clobbered by the helper call, callbacks or not.
# type: raw
# expect: refuse
# reason: r3 is read before it was given a value
mov %r1, 4
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, %r3
exit
cb:
mov %r0, 0
exit
