# Reading a stack slot never written.
# type: raw
# expect: refuse
# reason: never written
ldxdw %r0, [%r10-8]
exit
