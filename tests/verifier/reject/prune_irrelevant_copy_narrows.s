# On the first path r3 is a copy of r2 (same id), so "r2 < 5" bounds r3 as
# well; on the second r2 is unrelated. r2 itself matters for nothing after
# the jump, but the state with the copy must not cover the one without.
# type: xdp
# expect: refuse
# reason: the number added to a stack pointer is unbounded
ldxw %r8, [%r1+16]
ldxw %r9, [%r1+12]
mov %r6, 1
mov %r7, 2
mov %r6, 5
mov %r7, 6
mov %r6, 7
mov %r7, 8
jset %r9, 1, other
mov %r2, %r8
mov %r3, %r2
ja join
other:
mov %r3, %r8
mov %r2, %r8
lsh %r2, 1
join:
jge %r2, 5, out
stdw [%r10-8], 0
mov %r5, %r10
add %r5, -8
add %r5, %r3
ldxb %r0, [%r5+0]
exit
out:
mov %r0, 0
exit
