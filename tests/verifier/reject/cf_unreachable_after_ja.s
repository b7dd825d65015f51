# A jump skips an instruction nothing else reaches.
# type: raw
# expect: refuse
# reason: unreachable
ja +1
mov %r0, 1
mov %r0, 0
exit
