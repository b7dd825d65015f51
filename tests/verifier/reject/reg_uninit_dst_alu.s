# ALU on an uninitialised destination.
# type: raw
# expect: refuse
# reason: r4 is read before
add %r4, 1
mov %r0, 0
exit
