# An 8-byte atomic add at offset 82 of the input buffer: a split lock.
# The checked engines refuse it and the kernel's verifier does too
# (atomics need strict alignment); found by fuzz_verified_run.
# type: raw
# mem: 200
# expect: refuse
# reason: misaligned atomic access of 8 bytes
mov %r2, 1
lock add [%r1+82], %r2
mov %r0, 0
exit
