# A number where the map belongs.
# type: kprobe
# expect: refuse
# reason: must be a map pointer
mov %r1, 1
mov %r2, 16
mov %r3, 0
call 131
mov %r0, 0
exit
