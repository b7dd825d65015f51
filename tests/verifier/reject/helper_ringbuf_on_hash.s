# bpf_ringbuf_reserve on a hash map.
# type: kprobe
# map: m hash 4 8 16
# expect: refuse
# reason: cannot be used with map
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

mov %r0, 0
exit
