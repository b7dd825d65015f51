# A global at offset 12 read as 8 bytes of a 16-byte value.
# type: raw
# map: a array 4 16 4
# expect: refuse
# reason: which has 16 bytes
lddw %r1, map_value 0+12
ldxdw %r0, [%r1+0]
exit
