# bpf_timer_set_callback: the timer callback gets (map, key, value) and returns 0.
# type: kprobe
# map: timers array 4 24 1
# expect: accept
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, out
mov %r1, %r0
lddw %r2, func cb
call 170
out:
mov %r0, 0
exit
cb:
ldxw %r4, [%r2+0]
ldxdw %r5, [%r3+16]
add %r5, 1
stxdw [%r3+16], %r5
mov %r0, 0
exit
