# Reading before the raw buffer.
# type: raw
# mem: 16
# expect: refuse
# reason: before the start
ldxb %r0, [%r1-1]
exit
