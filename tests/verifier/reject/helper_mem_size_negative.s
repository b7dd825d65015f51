# A signed size that may be negative.
# type: kprobe
# expect: refuse
# reason: may be negative
call 7
mov %r2, %r0
jsgt %r2, 8, out
mov %r1, %r10
add %r1, -8
mov %r3, 0
call 4
out:
mov %r0, 0
exit
