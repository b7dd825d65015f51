# len, mark, a narrow protocol load, cb[0] write and tstamp.
# type: sched_cls
# expect: accept
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+8]
ldxb %r4, [%r1+16]
stxw [%r1+48], %r2
ldxdw %r5, [%r1+152]
mov %r0, 0
exit
