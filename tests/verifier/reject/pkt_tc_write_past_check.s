# A 4-byte write after a 2-byte check.
# type: sched_cls
# expect: refuse
# reason: only 2 bytes were checked
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 2
jgt %r4, %r3, +2
stw [%r2+0], 0
mov %r0, 0
exit
