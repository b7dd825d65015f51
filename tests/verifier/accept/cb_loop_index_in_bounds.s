# nr_loops = 8: the index (0..7) stays inside the caller's 8-byte buffer.
# type: raw
# expect: accept
mov %r1, 0
stxdw [%r10-8], %r1
mov %r1, 8
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
ldxdw %r0, [%r10-8]
exit
cb:
add %r2, %r1
stb [%r2+0], 1
mov %r0, 0
exit
