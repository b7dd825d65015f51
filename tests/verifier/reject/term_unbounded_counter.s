# A counter that would need 2^64 iterations exhausts the budget.
# type: raw
# expect: refuse
# reason: too complex
mov %r0, 0
mov %r1, 0
loop:
add %r1, 1
jne %r1, 0, loop
exit
