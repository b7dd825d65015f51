# Submit on success, discard on error.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: accept
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

jeq %r0, 0, out
mov %r6, %r0
call 7
jeq %r0, 0, discard
stdw [%r6+0], 1
mov %r1, %r6
mov %r2, 0
call 132
ja out
discard:
mov %r1, %r6
mov %r2, 0
call 133
out:
mov %r0, 0
exit
