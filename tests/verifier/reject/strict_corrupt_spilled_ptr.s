# Overwriting part of a spilled pointer.
# type: socket_filter
# strict: yes
# expect: refuse
# reason: partial overwrite of a spilled pointer
stxdw [%r10-8], %r10
stb [%r10-8], 0
mov %r0, 0
exit
