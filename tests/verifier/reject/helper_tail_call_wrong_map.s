# bpf_tail_call with a hash map.
# type: xdp
# map: m hash 4 8 16
# expect: refuse
# reason: cannot be used with map
lddw %r2, map_fd 0
mov %r3, 0
call 12
mov %r0, 0
exit
