# Loops are not allowed unprivileged.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: back-edge
mov %r0, 0
mov %r1, 0
loop:
add %r1, 1
jlt %r1, 4, loop
exit
