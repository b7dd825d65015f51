# Adding an unbounded number to a packet pointer.
# type: xdp
# expect: refuse
# reason: unbounded
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r6, %r2
call 7
add %r6, %r0
mov %r0, 0
exit
