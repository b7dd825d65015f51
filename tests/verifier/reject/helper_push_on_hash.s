# bpf_map_push_elem on a hash map.
# type: kprobe
# map: m hash 4 8 16
# expect: refuse
# reason: cannot be used with map
stdw [%r10-8], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -8
mov %r3, 0
call 87
mov %r0, 0
exit
