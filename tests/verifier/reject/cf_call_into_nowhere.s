# A local call to a target outside the program.
# type: raw
# expect: refuse
# reason: outside the program
call local +10
mov %r0, 0
exit
