# number - pointer.
# type: raw
# expect: refuse
# reason: subtracting a pointer from a scalar
mov %r1, 100
sub %r1, %r10
mov %r0, 0
exit
