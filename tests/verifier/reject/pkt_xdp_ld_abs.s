# XDP programs have no legacy packet loads.
# type: xdp
# expect: refuse
# reason: not allowed in xdp programs
mov %r6, %r1
ldabsb 12
exit
