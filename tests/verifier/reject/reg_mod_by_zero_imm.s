# Modulo by an immediate 0.
# type: raw
# expect: refuse
# reason: division by the constant zero
mov %r0, 10
mod32 %r0, 0
exit
