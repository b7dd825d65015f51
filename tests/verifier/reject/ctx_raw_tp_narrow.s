# Raw tracepoint arguments are read as u64.
# type: raw_tracepoint
# expect: refuse
# reason: 8-byte loads
ldxw %r0, [%r1+0]
exit
