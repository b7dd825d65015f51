# A direct value reference past the value.
# type: raw
# map: a array 4 16 4
# expect: refuse
# reason: outside the 16-byte value
lddw %r1, map_value 0+16
mov %r0, 0
exit
