# A jump to itself.
# type: raw
# expect: refuse
# reason: infinite loop
loop:
ja loop
