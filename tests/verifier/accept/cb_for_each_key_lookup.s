# The callback's key can be passed to another map's lookup.
# type: raw
# map: h hash 4 8 16
# map: other hash 4 8 16
# expect: accept
lddw %r1, map_fd 0
lddw %r2, func cb
mov %r3, 0
mov %r4, 0
call 164
mov %r0, 0
exit
cb:
lddw %r1, map_fd 1
call 1
jeq %r0, 0, skip
ldxdw %r0, [%r0+0]
skip:
mov %r0, 0
exit
