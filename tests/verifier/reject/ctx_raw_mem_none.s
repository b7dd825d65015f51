# A raw program without a buffer has r1 = 0.
# type: raw
# expect: refuse
# reason: is a number, not a pointer
ldxb %r0, [%r1+0]
exit
