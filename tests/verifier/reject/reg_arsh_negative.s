# Shift by a negative amount.
# type: raw
# expect: refuse
# reason: out of range
mov %r0, 1
arsh %r0, -1
exit
