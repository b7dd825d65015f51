# Reading metadata without comparing against data.
# type: xdp
# expect: refuse
# reason: checked against data
ldxw %r2, [%r1+8]
ldxw %r3, [%r1+0]
ldxb %r0, [%r2+0]
exit
