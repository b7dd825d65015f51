# A function returns a pointer into its own frame.
# type: raw
# expect: refuse
# reason: pointer to its own stack
call local f
ldxdw %r0, [%r0+0]
exit
f:
mov %r0, %r10
add %r0, -8
exit
