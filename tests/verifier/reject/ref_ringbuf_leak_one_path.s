# A reservation submitted on one path only.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: not released at exit
lddw %r1, map_fd 0
mov %r2, 16
mov %r3, 0
call 131

jeq %r0, 0, out
mov %r6, %r0
call 7
jeq %r0, 0, out
mov %r1, %r6
mov %r2, 0
call 132
out:
mov %r0, 0
exit
