# Arithmetic on data_end.
# type: xdp
# expect: refuse
# reason: packet end pointer is not allowed
ldxw %r3, [%r1+4]
add %r3, 1
mov %r0, 0
exit
