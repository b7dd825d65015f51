# A bpf_loop callback returning 2: bpf_loop callbacks return 0 (continue) or 1 (stop).
# type: kprobe
# expect: refuse
# reason: must return a value in [0, 1]
mov %r1, 10
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
mov %r0, 2
exit
