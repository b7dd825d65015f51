# An index bounded by an unsigned comparison.
# type: raw
# map: m hash 4 8 16
# expect: accept
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

jeq %r0, 0, +6
mov %r6, %r0
call 7
jgt %r0, 7, +3
add %r6, %r0
ldxb %r0, [%r6+0]
exit
mov %r0, 0
exit
