# bpf_probe_read with an unbounded size.
# type: kprobe
# expect: refuse
# reason: unbounded
stdw [%r10-8], 0
call 7
mov %r2, %r0
rsh %r2, 1
mov %r1, %r10
add %r1, -8
mov %r3, 0
call 4
mov %r0, 0
exit
