# The caller's reservation, passed through the context, submitted by the callback
# (it would be submitted again in the next round).
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: releases the reservation its caller made
lddw %r1, map_fd 0
mov %r2, 8
mov %r3, 0
call 131
jeq %r0, 0, out
stxdw [%r10-8], %r0
mov %r1, 4
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
ldxdw %r1, [%r10-8]
mov %r2, 0
call 132
out:
mov %r0, 0
exit
cb:
ldxdw %r1, [%r2+0]
mov %r2, 0
call 132
mov %r0, 0
exit
