# A jump into the middle of a lddw.
# type: raw
# expect: refuse
# reason: second half of a lddw
ja +1
lddw %r0, 0x100000000
exit
