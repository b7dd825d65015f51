# A TCP-only socket filter, unprivileged.
# type: socket_filter
# strict: yes
# expect: accept
mov %r6, %r1
ldabsb 23
jne %r0, 6, drop
mov %r0, -1
exit
drop:
mov %r0, 0
exit
