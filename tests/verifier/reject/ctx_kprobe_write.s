# pt_regs is read-only.
# type: kprobe
# expect: refuse
# reason: read-only
mov %r2, 1
stxdw [%r1+0], %r2
mov %r0, 0
exit
