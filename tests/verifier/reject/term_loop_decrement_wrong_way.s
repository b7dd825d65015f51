# The loop counts away from its exit.
# type: raw
# expect: refuse
# reason: too complex
mov %r0, 0
mov %r1, 10
loop:
add %r1, 1
jgt %r1, 0, loop
exit
