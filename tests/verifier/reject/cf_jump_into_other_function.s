# A jump from main into a sub-program body.
# type: raw
# expect: refuse
# reason: leaves the function
mov %r1, 1
call local f
jeq %r0, 0, +2
exit
f:
mov %r0, 1
exit
