# bpf_ringbuf_output of uninitialised stack.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: never written
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -16
mov %r3, 16
mov %r4, 0
call 130
mov %r0, 0
exit
