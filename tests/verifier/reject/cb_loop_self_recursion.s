# A callback passing itself to bpf_loop again: frames pile up beyond 8.
# type: raw
# expect: refuse
# reason: frames may be active
mov %r1, 2
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
cb:
mov %r1, 2
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
