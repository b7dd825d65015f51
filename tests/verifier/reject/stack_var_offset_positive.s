# A variable offset that can point above fp.
# type: raw
# expect: refuse
# reason: outside the stack frame
call 7
and %r0, 15
mov %r1, %r10
add %r1, %r0
ldxb %r0, [%r1-8]
exit
