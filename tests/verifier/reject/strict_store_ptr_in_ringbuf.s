# Storing a pointer in a ring buffer record.
# type: socket_filter
# strict: yes
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: leaks an address
lddw %r1, map_fd 0
mov %r2, 8
mov %r3, 0
call 131
jeq %r0, 0, out
stxdw [%r0+0], %r10
mov %r1, %r0
mov %r2, 0
call 132
out:
mov %r0, 0
exit
