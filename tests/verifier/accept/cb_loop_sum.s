# bpf_loop summing its indexes into the caller's stack (examples/callbacks in assembly):
# the sum keeps growing from round to round until it is widened.
# type: raw
# expect: accept
mov %r1, 0
stxdw [%r10-8], %r1
mov32 %r1, 100
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
ldxdw %r0, [%r10-8]
exit
cb:
ldxdw %r3, [%r2+0]
add %r3, %r1
stxdw [%r2+0], %r3
mov %r0, 0
jlt %r1, 50, out
mov %r0, 1
out:
exit
