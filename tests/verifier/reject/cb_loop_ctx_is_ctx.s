# The callback context must be a stack pointer or NULL (the kernel's ARG_PTR_TO_STACK_OR_NULL).
# type: xdp
# expect: refuse
# reason: must be a stack pointer or NULL
mov %r3, %r1
mov %r1, 10
lddw %r2, func cb
mov %r4, 0
call 181
mov %r0, 2
exit
cb:
mov %r0, 0
exit
