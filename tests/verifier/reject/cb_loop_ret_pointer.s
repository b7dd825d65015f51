# A callback returning its context pointer.
# type: raw
# expect: refuse
# reason: must return a number in [0, 1], not a stack pointer
mov %r1, 4
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
mov %r0, %r2
exit
