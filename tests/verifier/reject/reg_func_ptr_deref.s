# Dereferencing a function pointer.
# type: raw
# expect: refuse
# reason: cannot be dereferenced
lddw %r1, func f
ldxdw %r0, [%r1+0]
exit
f:
mov %r0, 0
exit
