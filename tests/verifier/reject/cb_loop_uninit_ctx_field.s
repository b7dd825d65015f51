# The callback reads context bytes the caller never wrote.
# type: raw
# expect: refuse
# reason: was never written
mov %r1, 0
stxw [%r10-8], %r1
mov %r1, 3
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
ldxdw %r3, [%r2+0]
mov %r0, 0
exit
