# Submitting without a null check.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: may be NULL
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

mov %r1, %r0
mov %r2, 0
call 132
mov %r0, 0
exit
