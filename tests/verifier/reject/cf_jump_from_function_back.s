# A sub-program jumps back into main.
# type: raw
# expect: refuse
# reason: leaves the function
call local f
exit
f:
mov %r0, 0
ja -4
