# An infinite loop inside a callback is still an infinite loop.
# type: raw
# expect: refuse
# reason: infinite loop
mov %r1, 2
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
mov %r0, 0
spin:
ja spin
