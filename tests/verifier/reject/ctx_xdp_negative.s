# Reading before the context.
# type: xdp
# expect: refuse
# reason: negative offset
ldxw %r0, [%r1-4]
exit
