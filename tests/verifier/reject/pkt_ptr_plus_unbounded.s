# (bad program) r6 never set.
# type: xdp
# expect: refuse
# reason: r6 is read before
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

call 7
ldxw %r2, [%r6+0]
mov %r0, 0
exit
