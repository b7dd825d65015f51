# 32-bit subtraction on a pointer.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: 32-bit arithmetic on a pointer
mov %r2, %r10
sub32 %r2, 8
mov %r0, 0
exit
