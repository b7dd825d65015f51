# fentry programs must return 0.
# type: tracing
# expect: refuse
# reason: must return a value in [0, 0]
mov %r0, 1
exit
