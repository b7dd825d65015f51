# A 4-byte store of a pointer.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: leaks part of its address
stxw [%r10-8], %r10
mov %r0, 0
exit
