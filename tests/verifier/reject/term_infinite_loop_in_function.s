# A sub-program spinning forever.
# type: raw
# expect: refuse
# reason: infinite loop
call local f
exit
f:
mov %r0, 0
ja -1
