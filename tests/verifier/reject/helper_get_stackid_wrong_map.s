# bpf_get_stackid with a hash map.
# type: kprobe
# map: m hash 4 8 16
# expect: refuse
# reason: cannot be used with map
lddw %r2, map_fd 0
mov %r3, 0
call 27
mov %r0, 0
exit
