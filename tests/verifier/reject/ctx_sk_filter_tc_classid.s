# tc_classid is not readable from socket filters.
# type: socket_filter
# expect: refuse
# reason: not a field this program type may access
ldxw %r0, [%r1+72]
exit
