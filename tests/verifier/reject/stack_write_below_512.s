# Writing below the 512-byte frame.
# type: raw
# expect: refuse
# reason: outside the stack frame
stb [%r10-513], 1
mov %r0, 0
exit
