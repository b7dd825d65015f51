# A timer callback runs later, from nothing: it has no caller's stack and no r4.
# type: kprobe
# map: timers array 4 16 1
# expect: refuse
# reason: r4 is read before it was given a value
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, out
mov %r1, %r0
lddw %r2, func cb
mov %r4, %r10
call 170
out:
mov %r0, 0
exit
cb:
ldxdw %r0, [%r4-8]
mov %r0, 0
exit
