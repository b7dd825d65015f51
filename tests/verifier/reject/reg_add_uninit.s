# Adding an uninitialised register.
# type: raw
# expect: refuse
# reason: r5 is read before
mov %r0, 0
add %r0, %r5
exit
