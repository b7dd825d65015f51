# Dereferencing on the branch where it is NULL.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: is a number, not a pointer
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

jne %r0, 0, +2
ldxdw %r0, [%r0+0]
exit
mov %r0, 0
exit
