# Reading the packet without any check.
# type: xdp
# expect: refuse
# reason: only 0 bytes were checked against data_end
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

ldxb %r0, [%r2+0]
exit
