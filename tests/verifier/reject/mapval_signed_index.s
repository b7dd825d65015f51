# An index in [-8, 7] (signed).
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: may be negative
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

jeq %r0, 0, +7
mov %r6, %r0
call 7
jsgt %r0, 7, +4
jslt %r0, -8, +3
add %r6, %r0
ldxb %r0, [%r6+0]
exit
mov %r0, 0
exit
