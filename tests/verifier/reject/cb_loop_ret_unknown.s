# A callback returning whatever it read: not provably 0 or 1.
# type: raw
# expect: refuse
# reason: must return a value in [0, 1]
mov %r1, 7
stxdw [%r10-8], %r1
mov %r1, 4
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
ldxdw %r0, [%r2+0]
exit
