# Moving a map pointer.
# type: raw
# map: m array 4 8 1
# expect: refuse
# reason: arithmetic on a map pointer
lddw %r1, map_fd 0
add %r1, 8
mov %r0, 0
exit
