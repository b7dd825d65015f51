# Submitting a pointer into the middle.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: must point to its start
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

jeq %r0, 0, out
add %r0, 8
mov %r1, %r0
mov %r2, 0
call 132
out:
mov %r0, 0
exit
