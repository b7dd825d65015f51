# An 8-byte load across two xdp_md fields.
# type: xdp
# expect: refuse
# reason: run past field data
ldxdw %r0, [%r1+0]
exit
