# Adding an unbounded number to a pointer.
# type: raw
# expect: refuse
# reason: unbounded
call 7
mov %r1, %r10
add %r1, %r0
mov %r0, 0
exit
