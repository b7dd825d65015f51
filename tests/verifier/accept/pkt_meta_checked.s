# Metadata read after comparing with data.
# type: xdp
# expect: accept
ldxw %r2, [%r1+8]
ldxw %r3, [%r1+0]
mov %r4, %r2
add %r4, 4
jgt %r4, %r3, +2
ldxw %r0, [%r2+0]
exit
mov %r0, 2
exit
