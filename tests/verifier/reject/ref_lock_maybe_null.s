# Locking a value that may be NULL.
# type: kprobe
# map: lk array 4 16 1
# expect: refuse
# reason: must point into a map value
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
mov %r1, %r0
call 93
mov %r0, 0
exit
