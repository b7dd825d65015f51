# A function returns without setting r0.
# type: raw
# expect: refuse
# reason: the function exits without setting r0
call local f
exit
f:
exit
