# Dereferencing a moved context pointer.
# type: xdp
# expect: refuse
# reason: context pointer was moved
add %r1, 4
ldxw %r0, [%r1+0]
exit
