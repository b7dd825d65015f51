# ld_abs needs the context in r6.
# type: socket_filter
# expect: refuse
# reason: r6, which must hold the context
ldabsb 12
exit
