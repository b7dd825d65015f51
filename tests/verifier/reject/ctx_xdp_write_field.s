# Writing xdp_md->ingress_ifindex.
# type: xdp
# expect: refuse
# reason: read-only for this program type
mov %r2, 1
stxw [%r1+12], %r2
mov %r0, 0
exit
