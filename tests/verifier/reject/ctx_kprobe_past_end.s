# Reading past struct pt_regs.
# type: kprobe
# expect: refuse
# reason: outside struct pt_regs
ldxdw %r0, [%r1+168]
exit
