# A function nothing calls.
# type: raw
# expect: refuse
# reason: unreachable
mov %r0, 0
exit
f:
mov %r0, 1
exit
