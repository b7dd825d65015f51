# Returning the frame pointer.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: leaks an address
mov %r0, %r10
exit
