# The callee sets no r0.
# type: raw
# expect: refuse
# reason: exits without setting r0
mov %r0, 1
call local f
exit
f:
exit
