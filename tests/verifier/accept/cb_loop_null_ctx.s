# A NULL context is allowed; nr_loops unknown (any u32) is allowed.
# type: xdp
# expect: accept
ldxw %r1, [%r1+16]
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 2
exit
cb:
mov %r0, %r1
and %r0, 1
exit
