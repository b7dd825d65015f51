# Two functions call each other.
# type: raw
# expect: refuse
# reason: recursive call
call local f
exit
f:
call local g
exit
g:
call local f
exit
