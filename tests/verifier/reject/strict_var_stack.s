# A variable stack offset.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: not allowed in strict
stdw [%r10-8], 0
ldxb %r2, [%r10-8]
and %r2, 7
mov %r3, %r10
add %r3, -8
add %r3, %r2
mov %r0, 0
exit
