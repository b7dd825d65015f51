# The callback stores the index (0..99) in the context; the caller indexes an
# 8-byte map value with it without a bound check.
# type: raw
# map: arr array 4 8 1
# expect: refuse
# reason: of the map value, which has 8 bytes
mov %r1, 0
stxdw [%r10-8], %r1
stw [%r10-12], 0
mov %r1, 100
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -12
call 1
jeq %r0, 0, out
ldxdw %r1, [%r10-8]
add %r0, %r1
ldxb %r0, [%r0+0]
out:
mov %r0, 0
exit
cb:
stxdw [%r2+0], %r1
mov %r0, 0
exit
