# Comparing two pointers.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: pointer comparison
mov %r2, %r10
jeq %r2, %r1, +1
mov %r0, 0
mov %r0, 0
exit
