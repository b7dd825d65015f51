# fentry returning 0.
# type: tracing
# expect: accept
mov %r0, 0
exit
