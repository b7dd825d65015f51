# Negating a pointer.
# type: raw
# expect: refuse
# reason: negation of a pointer
mov %r1, %r10
neg %r1
mov %r0, 0
exit
