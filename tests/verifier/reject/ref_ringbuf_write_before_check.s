# Writing a reservation before the null check.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: may be NULL
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

stdw [%r0+0], 1
mov %r0, 0
exit
