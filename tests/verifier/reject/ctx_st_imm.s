# BPF_ST into the context is not allowed.
# type: sched_cls
# expect: refuse
# reason: immediates into the context
stw [%r1+48], 1
mov %r0, 0
exit
