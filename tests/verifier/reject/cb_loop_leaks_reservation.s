# The callback reserves ring buffer space and returns without submitting it.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: returns without releasing the reservation
mov %r1, 4
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
lddw %r1, map_fd 0
mov %r2, 8
mov %r3, 0
call 131
mov %r0, 0
exit
