# A 2-byte store at fp-3.
# type: raw
# expect: refuse
# reason: misaligned stack access
sth [%r10-3], 1
mov %r0, 0
exit
