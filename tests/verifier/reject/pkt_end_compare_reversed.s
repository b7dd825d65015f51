# Reading on the branch where data_end < data + 4.
# type: xdp
# expect: refuse
# reason: checked against data_end
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 4
jlt %r3, %r4, +2
mov %r0, 1
exit
ldxw %r0, [%r2+0]
exit
