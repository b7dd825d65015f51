# A variable offset added after the check needs its own check.
# type: xdp
# expect: refuse
# reason: past a variable offset
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 14
jgt %r4, %r3, +5
ldxb %r5, [%r2+0]
and %r5, 15
add %r2, %r5
ldxb %r0, [%r2+0]
exit
mov %r0, 1
exit
