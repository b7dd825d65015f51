# bpf_get_current_comm with size 0.
# type: kprobe
# expect: refuse
# reason: may be zero
mov %r1, %r10
add %r1, -8
mov %r2, 0
call 16
mov %r0, 0
exit
