# An 8-byte store at fp-12.
# type: raw
# expect: refuse
# reason: misaligned stack access
stdw [%r10-12], 1
mov %r0, 0
exit
