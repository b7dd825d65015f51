# r10 is read-only (encoding rule).
# type: raw
# expect: refuse
# reason: frame pointer
mov %r10, 0
mov %r0, 0
exit
