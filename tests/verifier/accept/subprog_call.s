# A bpf-to-bpf call writing through a pointer into the caller's stack.
# type: raw
# expect: accept
stdw [%r10-8], 0
mov %r1, %r10
add %r1, -8
call local set
ldxdw %r0, [%r10-8]
exit
set:
stdw [%r1+0], 42
mov %r0, 0
exit
