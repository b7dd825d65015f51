# Sending a buffer holding a spilled pointer.
# type: socket_filter
# strict: yes
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: spilled pointer
stxdw [%r10-8], %r10
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -8
mov %r3, 8
mov %r4, 0
call 130
mov %r0, 0
exit
