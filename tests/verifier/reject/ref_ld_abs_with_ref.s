# ld_abs while a reservation is held.
# type: socket_filter
# map: rb ringbuf 0 0 4096
# expect: refuse
# reason: while references are held
mov %r6, %r1
lddw %r1, map_fd 0
mov %r2, 8
mov %r3, 0
call 131
jeq %r0, 0, out
mov %r7, %r0
ldabsb 0
mov %r1, %r7
mov %r2, 0
call 132
out:
mov %r0, 0
exit
