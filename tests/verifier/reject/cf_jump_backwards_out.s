# A jump before the first instruction.
# type: raw
# expect: refuse
# reason: outside the program
ja -3
exit
