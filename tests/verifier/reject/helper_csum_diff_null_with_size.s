# A NULL buffer with a non-zero size.
# type: xdp
# expect: refuse
# reason: needs a size of 0
mov %r1, 0
mov %r2, 4
mov %r3, 0
mov %r4, 0
mov %r5, 0
call 28
mov %r0, 0
exit
