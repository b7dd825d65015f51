# A misaligned pt_regs load.
# type: kprobe
# expect: refuse
# reason: naturally aligned
ldxdw %r0, [%r1+4]
exit
