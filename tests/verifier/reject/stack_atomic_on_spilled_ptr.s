# An atomic add on a spilled pointer.
# type: raw
# expect: refuse
# reason: spilled pointer
stxdw [%r10-8], %r10
mov %r1, 1
lock add [%r10-8], %r1
mov %r0, 0
exit
