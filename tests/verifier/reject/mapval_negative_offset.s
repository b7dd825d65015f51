# Reading before the value.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: before the start
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

jeq %r0, 0, +2
ldxb %r0, [%r0-1]
exit
mov %r0, 0
exit
