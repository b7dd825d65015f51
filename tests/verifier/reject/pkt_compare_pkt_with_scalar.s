# Comparing with a number proves nothing about the packet.
# type: xdp
# expect: refuse
# reason: only 0 bytes were checked
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 4
jgt %r4, 1000, +2
ldxw %r0, [%r2+0]
exit
mov %r0, 1
exit
