#!/usr/bin/env bash
# asm -> raw -> disasm -> asm gives the same bytes; disasm reads .s and .data.
. "$(dirname "$0")/common.sh"

cat >"$TMP/prog.s" <<'ASM'
# every instruction class, labels both ways, lddw, atomics, calls
mov %r0, 0
mov32 %r1, -1
lddw %r2, 0x1122334455667788
start:
add %r0, 1
jlt %r0, 3, start
ldxdw %r3, [%r10-8]
stxdw [%r10-8], %r2
stw [%r10-16], 7
lock add [%r10-8], %r1
lock fetch add [%r10-8], %r1
be16 %r0
neg %r0
jeq %r0, 0, done
ja done
done:
exit
ASM

expect_rc 0 "asm prog.s" "$UEBPF" asm "$TMP/prog.s" -o "$TMP/prog.bin" || finish
size=$(wc -c <"$TMP/prog.bin")
# 15 one-slot instructions + one two-slot lddw
if [ "$size" -eq 128 ]; then echo "ok: prog.bin is 16 instructions"; else fail "prog.bin is $size bytes, expected 128"; fi

expect_rc 0 "disasm prog.bin" "$UEBPF" disasm "$TMP/prog.bin"
printf '%s\n' "$out" >"$TMP/round.s"
expect_match "$out" 'lddw %r2, 0x1122334455667788' "disasm shows the lddw"
expect_match "$out" 'exit' "disasm shows exit"
expect_rc 0 "asm of the disassembly" "$UEBPF" asm "$TMP/round.s" -o "$TMP/round.bin"
if cmp -s "$TMP/prog.bin" "$TMP/round.bin"; then echo "ok: round trip gives the same bytes"
else fail "round trip changed the bytes"; fi

# `-o -` writes the bytes to stdout.
"$UEBPF" asm "$TMP/prog.s" -o - >"$TMP/stdout.bin"
if cmp -s "$TMP/prog.bin" "$TMP/stdout.bin"; then echo "ok: asm -o - writes to stdout"
else fail "asm -o - differs from asm -o FILE"; fi

# disasm of the .s itself and of a .data vector show their program.
expect_rc 0 "disasm prog.s" "$UEBPF" disasm "$TMP/prog.s"
expect_match "$out" 'lock fetch add' "disasm of .s shows the atomic"
cat >"$TMP/vec.data" <<'VEC'
-- asm
mov32 %r0, 5
exit
-- result
0x5
VEC
expect_rc 0 "disasm vec.data" "$UEBPF" disasm "$TMP/vec.data"
expect_match "$out" 'mov32 %r0, 5' "disasm of .data shows its program"

# A raw file without an extension is recognised by content.
cp "$TMP/prog.bin" "$TMP/noext"
expect_rc 0 "disasm of an extensionless raw file" "$UEBPF" disasm "$TMP/noext"

# The bundled examples and, when present, every conformance vector with a
# program survive the round trip.
checked=0
roundtrip() { # file
	local f=$1 b=$TMP/rt.bin
	"$UEBPF" asm "$f" -o "$b" 2>/dev/null || return 0 # refused programs are not round-trip material
	if ! "$UEBPF" disasm "$b" >"$TMP/rt.s" 2>"$TMP/rt.err"; then
		fail "disasm of $f: $(cat "$TMP/rt.err")"; return 0
	fi
	if ! "$UEBPF" asm "$TMP/rt.s" -o "$TMP/rt2.bin" 2>"$TMP/rt.err"; then
		fail "re-assembling the disassembly of $f: $(cat "$TMP/rt.err")"; return 0
	fi
	cmp -s "$b" "$TMP/rt2.bin" || fail "round trip of $f changed the bytes"
	checked=$((checked + 1))
}
for f in "$SRC"/examples/asm/*.s; do [ -f "$f" ] && roundtrip "$f"; done
if have_vectors; then
	for f in "$VECTORS"/tests/*.data; do roundtrip "$f"; done
fi
echo "ok: $checked programs round-tripped"
finish
