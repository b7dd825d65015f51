# Shifting a pointer.
# type: raw
# expect: refuse
# reason: arithmetic operator
mov %r1, %r10
lsh %r1, 1
mov %r0, 0
exit
