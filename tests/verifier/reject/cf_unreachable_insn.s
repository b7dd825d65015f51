# Code after the exit that no jump reaches.
# type: raw
# expect: refuse
# reason: unreachable instruction
mov %r0, 0
exit
mov %r0, 1
exit
