# Reading a register never written.
# type: raw
# expect: refuse
# reason: r3 is read before it was given a value
mov %r0, %r3
exit
