# Byte-swapping a pointer.
# type: raw
# expect: refuse
# reason: byte swap of a pointer
mov %r1, %r10
be64 %r1
mov %r0, 0
exit
