# A callee frame deeper than 512 bytes.
# type: raw
# expect: refuse
# reason: outside the stack frame
call local f
mov %r0, 0
exit
f:
stdw [%r10-520], 0
mov %r0, 0
exit
