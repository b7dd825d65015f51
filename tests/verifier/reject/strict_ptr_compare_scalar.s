# Comparing the context pointer with a number.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: pointer comparison
jgt %r1, 100, +1
mov %r0, 0
mov %r0, 0
exit
