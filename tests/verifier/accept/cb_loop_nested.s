# A callback running bpf_loop itself.
# type: raw
# expect: accept
mov %r1, 0
stxdw [%r10-8], %r1
mov %r1, 3
lddw %r2, func outer
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
mov %r0, 0
exit
outer:
mov %r3, %r2
mov %r1, 4
lddw %r2, func inner
mov %r4, 0
call 181
mov %r0, 0
exit
inner:
ldxdw %r3, [%r2+0]
add %r3, 1
stxdw [%r2+0], %r3
mov %r0, 0
exit
