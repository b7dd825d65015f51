# bpf_perf_event_output of uninitialised data.
# type: kprobe
# map: ev perf_event_array 4 4 4
# expect: refuse
# reason: never written
lddw %r2, map_fd 0
mov %r3, 0
mov %r4, %r10
add %r4, -8
mov %r5, 8
call 25
mov %r0, 0
exit
