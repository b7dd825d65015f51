# Exit before r0 is set.
# type: raw
# expect: refuse
# reason: without setting r0
exit
