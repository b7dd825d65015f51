# A 4-byte atomic on the stack at an offset whose low bits are unknown.
# type: raw
# mem: 8
# expect: refuse
# reason: misaligned atomic access of 4 bytes
ldxb %r2, [%r1]
and %r2, 6
stdw [%r10-16], 0
stdw [%r10-8], 0
mov %r3, %r10
add %r3, -16
add %r3, %r2
mov %r4, 1
lock add32 [%r3], %r4
mov %r0, 0
exit
