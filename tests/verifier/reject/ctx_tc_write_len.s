# skb->len is read-only.
# type: sched_cls
# expect: refuse
# reason: read-only
mov %r2, 1
stxw [%r1+0], %r2
mov %r0, 0
exit
