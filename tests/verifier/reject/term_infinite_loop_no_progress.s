# A loop whose state never changes.
# type: raw
# expect: refuse
# reason: infinite loop
mov %r0, 0
loop:
mov %r1, 1
jeq %r1, 1, loop
exit
