# A spilled scalar keeps its bounds.
# type: raw
# expect: accept
call 7
and %r0, 15
stxdw [%r10-8], %r0
ldxdw %r1, [%r10-8]
mov %r2, %r10
add %r2, -16
add %r2, %r1
stdw [%r10-16], 0
stdw [%r10-8], 0
ldxb %r0, [%r2+0]
exit
