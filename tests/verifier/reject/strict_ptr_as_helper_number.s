# A pointer as the flags argument.
# type: socket_filter
# strict: yes
# map: m hash 4 8 16
# expect: refuse
# reason: leaks an address
stw [%r10-4], 0
stdw [%r10-16], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
mov %r3, %r10
add %r3, -16
mov %r4, %r10
call 2
mov %r0, 0
exit
