# A moved context pointer passed to a helper.
# type: xdp
# expect: refuse
# reason: start of the context
add %r1, 4
mov %r2, 0
call 44
mov %r0, 0
exit
