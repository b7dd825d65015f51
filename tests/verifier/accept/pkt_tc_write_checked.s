# tc programs may write the packet after a check.
# type: sched_cls
# expect: accept
ldxw %r2, [%r1+76]
ldxw %r3, [%r1+80]
mov %r4, %r2
add %r4, 4
jgt %r4, %r3, +1
stw [%r2+0], 0
mov %r0, 0
exit
