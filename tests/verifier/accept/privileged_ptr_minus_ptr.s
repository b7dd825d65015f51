# Privileged programs may subtract pointers.
# type: socket_filter
# expect: accept
mov %r2, %r10
sub %r2, %r1
mov %r0, 0
exit
