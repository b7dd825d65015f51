# The common tracepoint header is not accessible.
# type: tracepoint
# expect: refuse
# reason: first 8 bytes
ldxdw %r0, [%r1+0]
exit
