# A callback may reserve and submit within one round.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: accept
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
jeq %r0, 0, none
stdw [%r0+0], 7
mov %r1, %r0
mov %r2, 0
call 132
none:
mov %r0, 0
exit
