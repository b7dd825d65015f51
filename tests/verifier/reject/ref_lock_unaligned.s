# A lock at an unaligned offset.
# type: kprobe
# map: lk array 4 16 1
# expect: refuse
# reason: aligned
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, out
mov %r6, %r0

mov %r1, %r6
add %r1, 2
call 93
out:
mov %r0, 0
exit
