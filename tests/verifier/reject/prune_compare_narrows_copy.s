# r3 is a copy of r2 (same id); "r2 < r4" bounds both by r4, 8 on the first
# path and 1000 on the second: r4 matters although only r3 is used later.
# type: xdp
# expect: refuse
# reason: stack
ldxw %r2, [%r1+12]
ldxw %r8, [%r1+16]
mov %r3, %r2
mov %r6, 1
mov %r7, 2
mov %r9, 4
mov %r6, 5
mov %r7, 6
mov %r9, 8
jset %r8, 1, odd
mov %r4, 8
ja join
odd:
mov %r4, 1000
join:
jge %r2, %r4, out
stdw [%r10-8], 0
mov %r5, %r10
add %r5, -8
add %r5, %r3
ldxb %r0, [%r5+0]
exit
out:
mov %r0, 0
exit
