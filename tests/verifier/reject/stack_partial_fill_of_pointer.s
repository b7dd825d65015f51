# Reading half of a spilled pointer.
# type: xdp
# expect: refuse
# reason: of a pointer spilled at fp-8
stxdw [%r10-8], %r1
ldxw %r0, [%r10-8]
exit
