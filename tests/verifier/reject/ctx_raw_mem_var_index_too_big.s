# An index up to 31 into a 16-byte buffer.
# type: raw
# mem: 16
# expect: refuse
# reason: which has 16 bytes
mov %r6, %r1
call 7
and %r0, 31
add %r6, %r0
ldxb %r0, [%r6+0]
exit
