# 20 independent branches, each leaving a different constant in r4 that is
# added into r3, which only becomes the return value: 2^20 paths unless
# pruning ignores values that cannot matter for safety (relevance.c). The
# masked index in r6, compared and used for a stack read after the
# branches, must stay exact. Without value-insensitive pruning this
# exhausts the 1M-instruction budget.
# type: xdp
# expect: accept
ldxw %r2, [%r1+12]
mov %r6, %r2
and %r6, 7
stdw [%r10-8], 0
mov %r3, 0
jset %r2, 1, odd0
mov %r4, 1
ja join0
odd0:
mov %r4, 2
join0:
add %r3, %r4
jset %r2, 2, odd1
mov %r4, 4
ja join1
odd1:
mov %r4, 7
join1:
add %r3, %r4
jset %r2, 4, odd2
mov %r4, 7
ja join2
odd2:
mov %r4, 12
join2:
add %r3, %r4
jset %r2, 8, odd3
mov %r4, 10
ja join3
odd3:
mov %r4, 17
join3:
add %r3, %r4
jset %r2, 16, odd4
mov %r4, 13
ja join4
odd4:
mov %r4, 22
join4:
add %r3, %r4
jset %r2, 32, odd5
mov %r4, 16
ja join5
odd5:
mov %r4, 27
join5:
add %r3, %r4
jset %r2, 64, odd6
mov %r4, 19
ja join6
odd6:
mov %r4, 32
join6:
add %r3, %r4
jset %r2, 128, odd7
mov %r4, 22
ja join7
odd7:
mov %r4, 37
join7:
add %r3, %r4
jset %r2, 256, odd8
mov %r4, 25
ja join8
odd8:
mov %r4, 42
join8:
add %r3, %r4
jset %r2, 512, odd9
mov %r4, 28
ja join9
odd9:
mov %r4, 47
join9:
add %r3, %r4
jset %r2, 1024, odd10
mov %r4, 31
ja join10
odd10:
mov %r4, 52
join10:
add %r3, %r4
jset %r2, 2048, odd11
mov %r4, 34
ja join11
odd11:
mov %r4, 57
join11:
add %r3, %r4
jset %r2, 4096, odd12
mov %r4, 37
ja join12
odd12:
mov %r4, 62
join12:
add %r3, %r4
jset %r2, 8192, odd13
mov %r4, 40
ja join13
odd13:
mov %r4, 67
join13:
add %r3, %r4
jset %r2, 16384, odd14
mov %r4, 43
ja join14
odd14:
mov %r4, 72
join14:
add %r3, %r4
jset %r2, 32768, odd15
mov %r4, 46
ja join15
odd15:
mov %r4, 77
join15:
add %r3, %r4
jset %r2, 65536, odd16
mov %r4, 49
ja join16
odd16:
mov %r4, 82
join16:
add %r3, %r4
jset %r2, 131072, odd17
mov %r4, 52
ja join17
odd17:
mov %r4, 87
join17:
add %r3, %r4
jset %r2, 262144, odd18
mov %r4, 55
ja join18
odd18:
mov %r4, 92
join18:
add %r3, %r4
jset %r2, 524288, odd19
mov %r4, 58
ja join19
odd19:
mov %r4, 97
join19:
add %r3, %r4
jgt %r6, 7, out
mov %r7, %r10
add %r7, -8
add %r7, %r6
ldxb %r5, [%r7+0]
add %r3, %r5
out:
mov %r0, %r3
and %r0, 3
exit
