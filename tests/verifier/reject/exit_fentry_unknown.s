# A random return value from fentry.
# type: tracing
# expect: refuse
# reason: must return a value in [0, 0]
call 7
exit
