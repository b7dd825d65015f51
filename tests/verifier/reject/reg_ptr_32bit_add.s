# 32-bit ALU on a pointer.
# type: raw
# expect: refuse
# reason: 32-bit arithmetic on a pointer
mov %r1, %r10
add32 %r1, -8
mov %r0, 0
exit
