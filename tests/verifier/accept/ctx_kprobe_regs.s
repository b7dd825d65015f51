# pt_regs reads.
# type: kprobe
# expect: accept
ldxdw %r0, [%r1+112]
ldxw %r2, [%r1+80]
exit
