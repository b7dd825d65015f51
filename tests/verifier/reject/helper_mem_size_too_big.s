# 16 bytes into an 8-byte stack buffer.
# type: kprobe
# expect: refuse
# reason: run past the stack frame
mov %r1, %r10
add %r1, -8
mov %r2, 16
mov %r3, 0
call 4
mov %r0, 0
exit
