# bpf_csum_diff over unchecked packet bytes.
# type: xdp
# expect: refuse
# reason: only 0 bytes were checked
ldxw %r1, [%r1+0]
mov %r2, 4
mov %r3, 0
mov %r4, 0
mov %r5, 0
call 28
mov %r0, 0
exit
