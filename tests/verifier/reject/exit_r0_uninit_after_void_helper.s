# r0 after a void helper is not set.
# type: kprobe
# map: lk array 4 16 1
# expect: refuse
# reason: without setting r0
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, out
mov %r6, %r0

mov %r1, %r6
call 93
mov %r1, %r6
call 94
exit
out:
mov %r0, 0
exit
