# Dereferencing data_end.
# type: xdp
# expect: refuse
# reason: cannot be dereferenced
ldxw %r3, [%r1+4]
ldxb %r0, [%r3+0]
exit
