# A 2-byte key buffer for a 4-byte key at the frame top.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: run past the stack frame
sth [%r10-2], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -2
call 1
mov %r0, 0
exit
