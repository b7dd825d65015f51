# Dereferencing a map pointer.
# type: raw
# map: m array 4 8 1
# expect: refuse
# reason: map pointer cannot be dereferenced
lddw %r1, map_fd 0
ldxdw %r0, [%r1+0]
exit
