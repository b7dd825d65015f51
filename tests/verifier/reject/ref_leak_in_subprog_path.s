# A function returns a reservation the caller forgets.
# type: kprobe
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: not released at exit
call local f
jeq %r0, 0, out
out:
mov %r0, 0
exit
f:
lddw %r1, map_fd 0
mov %r2, 8
mov %r3, 0
call 131
exit
