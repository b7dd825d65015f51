# Passing NULL as the key.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: not a pointer to memory
lddw %r1, map_fd 0
mov %r2, 0
call 1
mov %r0, 0
exit
