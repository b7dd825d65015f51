# bpf_csum_diff with NULL and size 0.
# type: xdp
# expect: accept
mov %r1, 0
mov %r2, 0
mov %r3, 0
mov %r4, 0
mov %r5, 0
call 28
mov %r0, 2
exit
