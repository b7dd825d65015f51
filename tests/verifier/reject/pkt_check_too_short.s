# Reading bytes 14-15 after checking 14 bytes.
# type: xdp
# expect: refuse
# reason: only 14 bytes were checked
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +2
ldxh %r0, [%r2+14]
exit
mov %r0, 1
exit
