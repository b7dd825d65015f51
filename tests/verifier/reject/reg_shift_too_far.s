# Shift by 64.
# type: raw
# expect: refuse
# reason: out of range
mov %r0, 1
lsh %r0, 64
exit
