# Sums the 16-bit words of the input memory (r1 = address, r2 = length) and
# folds the carries, as the Internet checksum does. Run it with
# `uebpf run examples/asm/checksum.s --mem "45 00 00 1c ..."`; without input
# memory it returns 0xffff.
mov %r0, 0
mov %r3, 0          # offset
loop:
mov %r4, %r3
add %r4, 2
jgt %r4, %r2, fold
mov %r5, %r1
add %r5, %r3
ldxh %r4, [%r5+0]
be16 %r4
add %r0, %r4
add %r3, 2
ja loop
fold:
mov %r4, %r0
rsh %r4, 16
and %r0, 0xffff
add %r0, %r4
mov %r4, %r0
rsh %r4, 16
add %r0, %r4
and %r0, 0xffff
xor %r0, 0xffff
exit
