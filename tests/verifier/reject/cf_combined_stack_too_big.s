# Main uses 512 bytes and calls a function using 8 more.
# type: raw
# expect: refuse
# reason: combined stack
stdw [%r10-512], 0
call local f
mov %r0, 0
exit
f:
stdw [%r10-8], 0
mov %r0, 0
exit
