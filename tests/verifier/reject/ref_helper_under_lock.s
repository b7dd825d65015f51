# Another helper while holding the lock.
# type: kprobe
# map: lk array 4 16 1
# expect: refuse
# reason: while holding a spin lock
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, out
mov %r6, %r0

mov %r1, %r6
call 93
call 5
mov %r1, %r6
call 94
out:
mov %r0, 0
exit
