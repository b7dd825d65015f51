# Reading 8 bytes of which 4 were written.
# type: raw
# expect: refuse
# reason: byte fp-4 was never written
stw [%r10-8], 1
ldxdw %r0, [%r10-8]
exit
