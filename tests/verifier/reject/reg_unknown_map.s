# lddw names a map that does not exist.
# type: raw
# map: m array 4 8 1
# expect: refuse
# reason: refers to map 3
lddw %r1, map_fd 3
mov %r0, 0
exit
