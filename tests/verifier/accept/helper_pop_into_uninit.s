# bpf_map_pop_elem writes the value buffer.
# type: kprobe
# map: q queue 0 8 16
# expect: accept
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -8
call 88
ldxdw %r0, [%r10-8]
exit
