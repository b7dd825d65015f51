# r1 is clobbered by the call.
# type: raw
# mem: 16
# expect: refuse
# reason: r1 is read before
call 7
and %r0, 31
mov %r2, %r1
ldxb %r0, [%r2+0]
exit
