# Writing a map that is read-only for programs.
# type: raw
# map: m hash 4 8 16 rdonly
# expect: refuse
# reason: read-only for programs
stw [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1

jeq %r0, 0, +1
stdw [%r0+0], 1
mov %r0, 0
exit
