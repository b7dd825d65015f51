# Returning a pointer from fentry.
# type: tracing
# expect: refuse
# reason: must return a number
mov %r0, %r10
exit
