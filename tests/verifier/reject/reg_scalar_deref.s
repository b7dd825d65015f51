# Dereferencing a number.
# type: raw
# expect: refuse
# reason: is a number, not a pointer
mov %r1, 4096
ldxdw %r0, [%r1+0]
exit
