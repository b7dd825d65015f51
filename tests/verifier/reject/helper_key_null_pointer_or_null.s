# A maybe-NULL map value passed as a key.
# type: raw
# map: m hash 4 4 16
# expect: refuse
# reason: may be NULL
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
mov %r2, %r0
lddw %r1, map_fd 0
call 1
mov %r0, 0
exit
