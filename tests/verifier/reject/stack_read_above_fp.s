# Reading above the frame.
# type: raw
# expect: refuse
# reason: outside the stack frame
ldxdw %r0, [%r10+8]
exit
