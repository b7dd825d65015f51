# 8 bytes at fp-4 cross the frame top.
# type: raw
# expect: refuse
# reason: outside the stack frame
stdw [%r10-4], 1
mov %r0, 0
exit
