# A value masked to zero.
# type: tracing
# expect: accept
call 7
and %r0, 0
exit
