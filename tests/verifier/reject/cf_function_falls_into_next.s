# A sub-program whose last instruction runs into the next one.
# type: raw
# expect: refuse
# reason: not exit or a jump
call local f
exit
f:
mov %r0, 0
call local g
g:
mov %r0, 1
exit
