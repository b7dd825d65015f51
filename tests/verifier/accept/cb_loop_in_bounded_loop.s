# bpf_loop inside a bounded loop whose counter lives in r6.
# type: raw
# expect: accept
mov %r6, 0
mov %r1, 0
stxdw [%r10-8], %r1
again:
mov %r1, 5
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
add %r6, 1
jlt %r6, 4, again
ldxdw %r0, [%r10-8]
exit
cb:
ldxdw %r3, [%r2+0]
add %r3, %r1
stxdw [%r2+0], %r3
mov %r0, 0
exit
