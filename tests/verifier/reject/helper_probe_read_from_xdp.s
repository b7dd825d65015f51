# bpf_probe_read from XDP.
# type: xdp
# expect: refuse
# reason: cannot be called from xdp programs
mov %r1, %r10
add %r1, -8
mov %r2, 8
mov %r3, 0
call 4
mov %r0, 0
exit
