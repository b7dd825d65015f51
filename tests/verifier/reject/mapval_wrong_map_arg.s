# A stack pointer where the map belongs.
# type: raw
# map: m hash 4 8 16
# expect: refuse
# reason: must be a map pointer
stw [%r10-4], 0
mov %r1, %r10
mov %r2, %r10
add %r2, -4
call 1
mov %r0, 0
exit
