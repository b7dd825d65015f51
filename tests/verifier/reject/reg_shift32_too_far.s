# 32-bit shift by 32.
# type: raw
# expect: refuse
# reason: out of range
mov %r0, 1
rsh32 %r0, 32
exit
