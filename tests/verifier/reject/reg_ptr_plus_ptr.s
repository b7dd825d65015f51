# Adding two pointers.
# type: raw
# expect: refuse
# reason: pointer += pointer
mov %r1, %r10
add %r1, %r10
mov %r0, 0
exit
