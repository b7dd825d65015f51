# A counter updated under the lock.
# type: kprobe
# map: lk array 4 16 1
# expect: accept
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, out
mov %r6, %r0

mov %r1, %r6
call 93
ldxdw %r7, [%r6+8]
add %r7, 1
stxdw [%r6+8], %r7
mov %r1, %r6
call 94
out:
mov %r0, 0
exit
