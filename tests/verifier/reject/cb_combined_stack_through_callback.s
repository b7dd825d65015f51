# A callback runs on top of the function calling bpf_loop (not the one that
# took its address): 256 + 224 + 64 bytes of stack.
# type: raw
# expect: refuse
# reason: the combined stack of a chain of 3 calls is 544 bytes
# insn: 11
stdw [%r10-256], 0
lddw %r1, func cb
call local f
mov %r0, 0
exit
f:
stdw [%r10-224], 0
mov %r2, %r1
mov %r1, 2
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
stdw [%r10-64], 0
mov %r0, 0
exit
