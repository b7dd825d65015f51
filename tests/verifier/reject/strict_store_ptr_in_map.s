# Storing a pointer in a map value.
# type: socket_filter
# strict: yes
# map: m hash 4 8 16
# expect: refuse
# reason: leaks an address
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, +1
stxdw [%r0+0], %r10
mov %r0, 0
exit
