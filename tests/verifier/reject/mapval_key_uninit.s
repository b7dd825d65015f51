# The key on the stack was never written.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: never written
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
mov %r0, 0
exit
