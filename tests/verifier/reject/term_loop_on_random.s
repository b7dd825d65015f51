# A loop exiting only when a random number is 0: its state repeats.
# type: raw
# expect: refuse
# reason: infinite loop
loop:
call 7
jne %r0, 0, loop
exit
