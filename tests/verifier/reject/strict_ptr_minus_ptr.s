# Subtracting pointers.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: pointer -= pointer
mov %r2, %r10
sub %r2, %r1
mov %r0, 0
exit
