# Writing past a 16-byte reservation.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: which has 16 bytes
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

jeq %r0, 0, out
stdw [%r0+16], 1
mov %r1, %r0
mov %r2, 0
call 133
out:
mov %r0, 0
exit
