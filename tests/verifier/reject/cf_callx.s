# Indirect calls cannot be verified.
# type: raw
# expect: refuse
# reason: callx
mov %r2, 0
call %r2
exit
