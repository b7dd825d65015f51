# A helper id nobody defines.
# type: raw
# expect: refuse
# reason: unknown helper 9999
call 9999
mov %r0, 0
exit
