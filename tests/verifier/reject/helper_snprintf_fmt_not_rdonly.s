# bpf_snprintf with a format on the stack.
# type: kprobe
# expect: refuse
# reason: constant string
stdw [%r10-8], 0
mov %r1, %r10
add %r1, -16
mov %r2, 8
mov %r3, %r10
add %r3, -8
mov %r4, 0
mov %r5, 0
call 165
mov %r0, 0
exit
