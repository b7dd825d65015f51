# Reading past the 8-byte value.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: which has 8 bytes
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

jeq %r0, 0, +2
ldxdw %r0, [%r0+8]
exit
mov %r0, 0
exit
