# The program ends without exit.
# type: raw
# expect: refuse
# reason: fall off the end
mov %r0, 0
