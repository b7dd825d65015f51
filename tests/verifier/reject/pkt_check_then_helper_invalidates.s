# bpf_xdp_adjust_head invalidates packet pointers.
# type: xdp
# expect: refuse
# reason: is a number, not a pointer
ldxw %r2, [%r1+0]
ldxw %r3, [%r1+4]

mov %r4, %r2
add %r4, 4
jgt %r4, %r3, +5
mov %r6, %r2
mov %r2, 0
call 44
ldxw %r0, [%r6+0]
exit
mov %r0, 1
exit
