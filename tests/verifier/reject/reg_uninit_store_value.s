# Storing an uninitialised register.
# type: raw
# expect: refuse
# reason: never given a value
stxdw [%r10-8], %r6
mov %r0, 0
exit
