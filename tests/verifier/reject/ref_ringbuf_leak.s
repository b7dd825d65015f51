# A reservation never submitted.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: not released at exit
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

mov %r0, 0
exit
