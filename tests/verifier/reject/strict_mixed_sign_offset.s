# A pointer moved by a number of unknown sign.
# type: socket_filter
# strict: yes
# map: m hash 4 8 16
# expect: refuse
# reason: whose sign is known
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
jeq %r0, 0, out
mov %r6, %r0
call 7
jsgt %r0, 3, out
jslt %r0, -3, out
add %r6, %r0
out:
mov %r0, 0
exit
