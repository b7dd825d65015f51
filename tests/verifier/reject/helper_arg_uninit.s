# bpf_map_update_elem without its key.
# type: kprobe
# map: m hash 4 8 16
# expect: refuse
# reason: argument 2 (r2) was never given a value
lddw %r1, map_fd 0
call 2
mov %r0, 0
exit
