# Masking a pointer.
# type: raw
# expect: refuse
# reason: bitwise operator
mov %r1, %r10
and %r1, -8
mov %r0, 0
exit
