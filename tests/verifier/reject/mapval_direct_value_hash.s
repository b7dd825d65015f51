# Direct value access to a hash map.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: needs an array map
lddw %r1, map_value 0+0
mov %r0, 0
exit
