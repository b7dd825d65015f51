# Atomics at aligned offsets of the input buffer and of the stack.
# type: raw
# mem: 64
# expect: accept
mov %r2, 1
lock add [%r1+56], %r2
lock add32 [%r1+4], %r2
stdw [%r10-16], 0
lock add [%r10-16], %r2
lock add32 [%r10-12], %r2
mov %r0, 0
exit
