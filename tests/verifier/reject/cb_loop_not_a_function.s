# bpf_loop's callback must be a code address (lddw src=4), not a number.
# type: raw
# expect: refuse
# reason: must be the callback's code address
mov %r1, 10
mov %r2, 64
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
