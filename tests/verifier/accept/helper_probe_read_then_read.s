# bpf_probe_read initialises its stack buffer.
# type: kprobe
# expect: accept
mov %r6, %r1
mov %r1, %r10
add %r1, -16
mov %r2, 16
ldxdw %r3, [%r6+112]
call 4
ldxdw %r0, [%r10-16]
exit
