# The program's own entry function cannot be a callback.
# type: raw
# expect: refuse
# reason: cannot be the program's entry function
entry:
mov %r1, 10
lddw %r2, func entry
mov %r3, 0
mov %r4, 0
call 181
mov %r0, 0
exit
