# Summing a 32-byte buffer.
# type: raw
# mem: 32
# expect: accept
mov %r0, 0
mov %r3, 0
loop:
mov %r4, %r1
add %r4, %r3
ldxb %r5, [%r4+0]
add %r0, %r5
add %r3, 1
jlt %r3, 32, loop
exit
