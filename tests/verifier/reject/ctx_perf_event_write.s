# perf event data is read-only.
# type: perf_event
# expect: refuse
# reason: read-only
mov %r2, 0
stxdw [%r1+168], %r2
mov %r0, 0
exit
