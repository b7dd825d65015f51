# bpf_for_each_map_elem: reads key and value, updates the value, sums into the context.
# type: raw
# map: arr array 4 8 4
# expect: accept
mov %r1, 0
stxdw [%r10-8], %r1
lddw %r1, map_fd 0
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 164
ldxdw %r0, [%r10-8]
exit
cb:
ldxw %r5, [%r2+0]
ldxdw %r0, [%r3+0]
add %r0, %r5
stxdw [%r3+0], %r0
ldxdw %r5, [%r4+0]
add %r5, %r0
stxdw [%r4+0], %r5
mov %r0, 0
exit
