# A spilled pointer partly overwritten is no pointer any more.
# type: xdp
# expect: refuse
# reason: is a number, not a pointer
stxdw [%r10-8], %r1
stb [%r10-8], 0
ldxdw %r2, [%r10-8]
ldxw %r0, [%r2+0]
exit
