# A variable-offset read of bytes never written.
# type: raw
# expect: refuse
# reason: never written
call 7
and %r0, 7
mov %r1, %r10
add %r1, -16
add %r1, %r0
ldxb %r0, [%r1+0]
exit
