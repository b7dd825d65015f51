# ld_abs through the context in r6.
# type: socket_filter
# expect: accept
mov %r6, %r1
ldabsh 12
exit
