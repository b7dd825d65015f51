# A 4-byte load in the middle of cb[0] and cb[1].
# type: sched_cls
# expect: refuse
# reason: must be accessed as 4-byte
ldxw %r0, [%r1+50]
exit
