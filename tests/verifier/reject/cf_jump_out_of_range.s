# A jump past the last instruction.
# type: raw
# expect: refuse
# reason: outside the program
mov %r0, 0
ja +5
exit
