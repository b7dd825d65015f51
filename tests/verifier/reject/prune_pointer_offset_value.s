# r4 is 0 on the first path and unbounded on the second; it is added to the
# stack pointer (whose result is never used): the check depends on it.
# type: xdp
# expect: refuse
# reason: unbounded
ldxw %r2, [%r1+12]
mov %r6, 1
mov %r7, 2
mov %r8, 3
mov %r9, 4
mov %r6, 5
mov %r7, 6
mov %r8, 7
mov %r9, 8
jset %r2, 1, odd
mov %r4, 0
ja join
odd:
lsh %r2, 40
mov %r4, %r2
join:
mov %r5, %r10
add %r5, %r4
mov %r0, 0
exit
