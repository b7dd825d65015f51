# A 32-bit move of a pointer.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: 32-bit copy of a pointer
mov32 %r2, %r10
mov %r0, 0
exit
