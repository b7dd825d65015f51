# Writing at fp+0.
# type: raw
# expect: refuse
# reason: outside the stack frame
stdw [%r10+0], 1
mov %r0, 0
exit
