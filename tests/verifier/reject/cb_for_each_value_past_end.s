# The callback writes past the 8-byte value.
# type: raw
# map: h hash 4 8 16
# expect: refuse
# reason: of the map value, which has 8 bytes
lddw %r1, map_fd 0
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 164
mov %r0, 0
exit
cb:
stdw [%r3+8], 1
mov %r0, 0
exit
