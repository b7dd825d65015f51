# bpf_strtol writes 8 bytes through its result pointer: fp-4 would put the
# last 4 of them above the frame, into the caller's memory.
# type: xdp
# expect: refuse
# reason: the 8-byte result in r4
stw [%r10-16], 0x00003231
mov %r1, %r10
add %r1, -16
mov %r2, 2
mov %r3, 0
mov %r4, %r10
add %r4, -4
call 105
mov %r0, 2
exit
