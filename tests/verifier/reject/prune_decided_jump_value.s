# r4 is 5 on the first path, where "r4 > 7" is decided and its target never
# explored; the second path (r4 unknown) must not be pruned against it
# although r4 is used by nothing but that jump.
# type: xdp
# expect: refuse
# reason: is a number, not a pointer
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
mov %r4, 5
ja join
odd:
mov %r4, %r2
join:
jgt %r4, 7, bad
mov %r0, 0
exit
bad:
ldxb %r0, [%r4+0]
exit
