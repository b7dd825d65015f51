# Reads the last 8 bytes of a 64-byte input buffer.
# type: raw
# mem: 64
# expect: accept
ldxdw %r0, [%r1+56]
exit
