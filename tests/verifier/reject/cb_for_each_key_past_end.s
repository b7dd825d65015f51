# The key of a 4-byte-key map read as 8 bytes.
# type: raw
# map: arr array 4 8 4
# expect: refuse
# reason: of the map key, which has 4 bytes
lddw %r1, map_fd 0
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 164
mov %r0, 0
exit
cb:
ldxdw %r0, [%r2+0]
mov %r0, 0
exit
