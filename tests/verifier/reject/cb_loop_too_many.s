# bpf_loop runs at most 1 << 23 iterations; more always fails with -E2BIG.
# type: raw
# expect: refuse
# reason: more than the 8388608 iterations
mov32 %r1, 8388609
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
mov %r0, 0
exit
