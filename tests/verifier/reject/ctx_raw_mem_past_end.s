# Raw buffer read past its end.
# type: raw
# mem: 64
# expect: refuse
# reason: which has 64 bytes
ldxw %r0, [%r1+62]
exit
