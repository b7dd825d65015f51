# Counts to 600, then stops counting but waits for 1000: the state
# repeats only after hundreds of iterations, when the loop's states are
# already stored sparsely (every 20 jumps, "Pruning in loops" in
# docs/verifier.md). The repeat must still be caught as an infinite loop,
# not left to exhaust the instruction budget.
# type: raw
# expect: refuse
# reason: infinite loop
mov %r0, 0
mov %r1, 0
loop:
jge %r1, 600, skip
add %r1, 1
skip:
jne %r1, 1000, loop
exit
