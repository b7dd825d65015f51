# The index runs to nr_loops - 1 = 15, past the caller's 8-byte buffer.
# type: raw
# expect: refuse
# reason: outside the stack frame
mov %r1, 0
stxdw [%r10-8], %r1
mov %r1, 16
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
add %r2, %r1
stb [%r2+0], 1
mov %r0, 0
exit
