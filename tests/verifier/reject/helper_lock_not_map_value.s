# bpf_spin_lock on the stack.
# type: kprobe
# expect: refuse
# reason: must point into a map value
mov %r1, %r10
add %r1, -8
call 93
mov %r0, 0
exit
