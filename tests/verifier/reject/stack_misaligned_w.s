# A 4-byte store at fp-6.
# type: raw
# expect: refuse
# reason: misaligned stack access
stw [%r10-6], 1
mov %r0, 0
exit
