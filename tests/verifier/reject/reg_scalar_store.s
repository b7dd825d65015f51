# Storing through a number.
# type: raw
# expect: refuse
# reason: is a number, not a pointer
mov %r1, 4096
stdw [%r1+0], 1
mov %r0, 0
exit
