# The key pointer handed to a for_each callback may point into the helper's own
# memory: kept in the caller's stack, it is unusable after the helper returns.
# type: raw
# map: arr array 4 8 4
# expect: refuse
# reason: r1 is read before it was given a value
# insn: 14
mov %r1, 0
stxdw [%r10-16], %r1
mov %r1, %r10
add %r1, -16
stxdw [%r10-8], %r1
lddw %r1, map_fd 0
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 164
ldxdw %r1, [%r10-8]
ldxw %r0, [%r1+0]
exit
cb:
stxdw [%r4+0], %r2
mov %r0, 0
exit
