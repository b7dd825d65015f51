# A variable offset reaching below the frame.
# type: raw
# expect: refuse
# reason: outside the stack frame
call 7
and %r0, 1023
mov %r1, %r10
sub %r1, %r0
stb [%r1-1], 0
mov %r0, 0
exit
