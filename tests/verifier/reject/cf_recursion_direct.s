# A function calls itself.
# type: raw
# expect: refuse
# reason: recursive call
mov %r1, 1
call local f
exit
f:
call local f
exit
