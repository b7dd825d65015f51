# A single frame deeper than 512 bytes.
# type: raw
# expect: refuse
# reason: outside the stack frame
stdw [%r10-520], 0
mov %r0, 0
exit
