# 8 bytes checked with >=, 12 read.
# type: xdp
# expect: refuse
# reason: only 8 bytes were checked
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 8
jge %r4, %r3, +2
ldxdw %r0, [%r2+4]
exit
mov %r0, 1
exit
