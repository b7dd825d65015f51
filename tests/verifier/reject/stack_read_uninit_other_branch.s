# A slot written on one branch only.
# type: raw
# expect: refuse
# reason: never written
call 7
jeq %r0, 0, +1
stdw [%r10-8], 0
ldxdw %r0, [%r10-8]
exit
