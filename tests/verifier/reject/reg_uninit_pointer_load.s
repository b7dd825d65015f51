# Loading through an uninitialised register.
# type: raw
# expect: refuse
# reason: r6 is read before
ldxdw %r0, [%r6+0]
exit
