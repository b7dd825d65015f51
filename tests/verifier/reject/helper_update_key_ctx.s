# The context passed as a map key.
# type: kprobe
# map: m hash 4 8 16
# expect: refuse
# reason: not a pointer to memory
mov %r6, %r1
lddw %r1, map_fd 0
mov %r2, %r6
mov %r3, %r10
add %r3, -8
stdw [%r10-8], 0
mov %r4, 0
call 2
mov %r0, 0
exit
