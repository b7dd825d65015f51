# A million iterations of three instructions exceed the budget.
# type: raw
# expect: refuse
# reason: too complex
mov %r0, 0
mov %r1, 0
loop:
add %r0, %r1
add %r1, 1
jlt %r1, 1000000, loop
exit
