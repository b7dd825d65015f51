# r1-r5 are clobbered by a bpf-to-bpf call.
# type: raw
# expect: refuse
# reason: r3 is read before
mov %r3, 1
call local f
mov %r0, %r3
exit
f:
mov %r0, 0
exit
