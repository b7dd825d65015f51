# Socket filters cannot read data.
# type: socket_filter
# expect: refuse
# reason: not a field this program type may access
ldxw %r0, [%r1+76]
exit
