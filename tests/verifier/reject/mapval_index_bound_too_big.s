# An index up to 15 into an 8-byte value.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: largest variable offset
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

jeq %r0, 0, +6
mov %r6, %r0
call 7
and %r0, 15
add %r6, %r0
ldxb %r0, [%r6+0]
exit
mov %r0, 0
exit
