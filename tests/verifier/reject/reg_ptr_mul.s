# Multiplying a pointer.
# type: raw
# expect: refuse
# reason: arithmetic operator
mov %r1, %r10
mul %r1, 2
mov %r0, 0
exit
