# Past the 12 arguments.
# type: raw_tracepoint
# expect: refuse
# reason: outside
ldxdw %r0, [%r1+96]
exit
