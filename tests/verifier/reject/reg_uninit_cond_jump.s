# Comparing an uninitialised register.
# type: raw
# expect: refuse
# reason: r7 is read before
jeq %r7, 0, +1
mov %r0, 0
mov %r0, 1
exit
