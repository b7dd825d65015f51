# Submitting a stack pointer.
# type: kprobe
# expect: refuse
# reason: must be a ring buffer reservation
mov %r1, %r10
add %r1, -8
mov %r2, 0
call 132
mov %r0, 0
exit
