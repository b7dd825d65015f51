# r5 after bpf_ktime_get_ns.
# type: kprobe
# expect: refuse
# reason: r5 is read before
mov %r5, 1
call 5
mov %r0, %r5
exit
