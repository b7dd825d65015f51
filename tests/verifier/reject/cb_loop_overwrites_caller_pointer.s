# The callback replaces a pointer the caller keeps on its stack with a number:
# after one round the caller dereferences a number.
# type: raw
# expect: refuse
# reason: is a number, not a pointer
mov %r1, %r10
add %r1, -16
stxdw [%r10-8], %r1
mov %r1, 0
stxdw [%r10-16], %r1
mov %r1, 3
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
ldxdw %r1, [%r10-8]
ldxdw %r0, [%r1+0]
exit
cb:
mov %r3, 42
stxdw [%r2+0], %r3
mov %r0, 0
exit
