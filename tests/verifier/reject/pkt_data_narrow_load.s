# A 2-byte load of xdp_md->data.
# type: xdp
# expect: refuse
# reason: must be accessed as 4-byte loads
ldxh %r2, [%r1+0]
mov %r0, 0
exit
