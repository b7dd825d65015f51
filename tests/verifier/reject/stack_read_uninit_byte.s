# Reading the byte next to the one written.
# type: raw
# expect: refuse
# reason: never written
stb [%r10-1], 1
ldxb %r0, [%r10-2]
exit
