# Half of the key is uninitialised.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: never written
sth [%r10-4], 0
lddw %r1, map_fd 0
mov %r2, %r10
add %r2, -4
call 1
mov %r0, 0
exit
