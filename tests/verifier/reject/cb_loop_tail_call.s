# A tail call from inside a callback would unwind through the helper.
# type: kprobe
# map: progs prog_array 4 4 4
# expect: refuse
# reason: bpf_tail_call cannot be called from a callback
stxdw [%r10-8], %r1
mov %r1, 4
lddw %r2, func cb
mov %r3, %r10
add %r3, -8
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
ldxdw %r1, [%r2+0]
lddw %r2, map_fd 0
mov %r3, 0
call 12
mov %r0, 0
exit
