# Socket filters cannot set skb->mark.
# type: socket_filter
# expect: refuse
# reason: read-only for this program type
mov %r2, 1
stxw [%r1+8], %r2
mov %r0, 0
exit
