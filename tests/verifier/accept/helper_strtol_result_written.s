# bpf_strtol's result slot needs no initialisation: the helper writes all 8
# bytes, so reading it after the call is fine (as in the kernel).
# type: xdp
# expect: accept
stw [%r10-16], 0x00003231
mov %r1, %r10
add %r1, -16
mov %r2, 2
mov %r3, 0
mov %r4, %r10
add %r4, -8
call 105
ldxdw %r0, [%r10-8]
and %r0, 3
exit
