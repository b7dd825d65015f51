# Timer callbacks must return 0.
# type: kprobe
# map: timers array 4 16 1
# expect: refuse
# reason: must return a value in [0, 0]
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
mov %r0, 1
exit
