# Reading before the packet start.
# type: xdp
# expect: refuse
# reason: before the start
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +2
ldxb %r0, [%r2-1]
exit
mov %r0, 1
exit
