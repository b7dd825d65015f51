# A number where the context belongs.
# type: xdp
# expect: refuse
# reason: must be the context pointer
mov %r1, 0
mov %r2, 0
call 44
mov %r0, 0
exit
