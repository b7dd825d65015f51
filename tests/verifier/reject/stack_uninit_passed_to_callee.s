# A callee reads the caller stack slot nobody wrote.
# type: raw
# expect: refuse
# reason: never written
mov %r1, %r10
add %r1, -8
call local f
exit
f:
ldxdw %r0, [%r1+0]
exit
