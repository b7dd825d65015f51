# bpf_xdp_adjust_head from a kprobe.
# type: kprobe
# expect: refuse
# reason: cannot be called from kprobe programs
mov %r2, 0
call 44
mov %r0, 0
exit
