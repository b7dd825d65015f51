# fentry must return 0: r3 is 0 on the first path and 1 on the second, and
# only becomes the return value, which matters for this program type.
# type: tracing
# expect: refuse
# reason: r0 may be 1
ldxdw %r2, [%r1+0]
mov %r6, 1
mov %r7, 2
mov %r8, 3
mov %r9, 4
mov %r6, 5
mov %r7, 6
mov %r8, 7
mov %r9, 8
jset %r2, 1, odd
mov %r3, 0
ja join
odd:
mov %r3, 1
join:
mov %r0, %r3
exit
