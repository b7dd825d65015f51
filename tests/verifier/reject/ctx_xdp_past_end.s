# Reading past struct xdp_md.
# type: xdp
# expect: refuse
# reason: outside struct xdp_md
ldxw %r0, [%r1+24]
exit
