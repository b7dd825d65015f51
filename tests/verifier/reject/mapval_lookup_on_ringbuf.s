# bpf_map_lookup_elem on a ring buffer.
# type: raw
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: cannot be used with map
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

mov %r0, 0
exit
