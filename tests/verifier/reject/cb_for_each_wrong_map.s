# bpf_for_each_map_elem works on hash and array maps, not on ring buffers.
# type: raw
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: cannot be used with map 'rb'
lddw %r1, map_fd 0
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 164
mov %r0, 0
exit
cb:
mov %r0, 0
exit
