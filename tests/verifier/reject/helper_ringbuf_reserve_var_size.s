# bpf_ringbuf_reserve needs a constant size.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: must be a constant
call 7
and %r0, 63
mov %r2, %r0
lddw %r1, map_fd 0
mov %r3, 0
call 131
mov %r0, 0
exit
