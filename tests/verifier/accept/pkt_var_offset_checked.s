# A variable header length checked again after it is added.
# type: xdp
# expect: accept
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 1
jgt %r4, %r3, +8
ldxb %r5, [%r2+0]
and %r5, 15
add %r2, %r5
mov %r4, %r2
add %r4, 4
jgt %r4, %r3, +2
ldxw %r0, [%r2+0]
exit
mov %r0, 1
exit
