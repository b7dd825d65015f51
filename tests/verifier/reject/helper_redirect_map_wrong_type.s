# bpf_redirect_map on a hash map.
# type: xdp
# map: m hash 4 8 16
# expect: refuse
# reason: cannot be used with map
lddw %r1, map_fd 0
mov %r2, 0
mov %r3, 0
call 51
exit
