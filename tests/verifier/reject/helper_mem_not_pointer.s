# A number passed as the data pointer.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: not a pointer to memory
lddw %r1, map_fd 0
mov %r2, 64
mov %r3, 16
mov %r4, 0
call 130
mov %r0, 0
exit
