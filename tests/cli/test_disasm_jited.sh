#!/usr/bin/env bash
# `uebpf disasm --jited`: the JIT's x86-64 code under each instruction, for
# assembly, raw and .data programs (and an ELF object when clang can build
# one), checked by default or unchecked; a switch tree's inline jump table is
# listed as data; bad arguments are usage errors.
. "$(dirname "$0")/common.sh"

printf 'mov %%r0, 1\nldxw %%r1, [%%r1]\nadd %%r0, 41\nexit\n' >"$TMP/p.s"
run_cmd "$UEBPF" disasm --jited "$TMP/p.s"
if [ "$rc" -eq 2 ] && printf '%s' "$err" | grep -q capstone; then
	echo "skip: this build has no capstone, so no JIT listing"
	exit 77
fi
expect_rc 0 "disasm --jited of assembly" "$UEBPF" disasm --jited "$TMP/p.s"
expect_match "$out" '^; checked JIT code, [0-9]+ bytes' "the listing says checked"
expect_match "$out" '^ +2: add %r0, 41$' "eBPF instructions are listed"
expect_match "$out" '^ +[0-9a-f]+: +add +rax, 0x29$' "with the x86 code under them"
expect_match "$out" '^; out-of-line paths$' "and the out-of-line paths"
expect_match "$out" 'qword ptr \[r12' "checked code tests bounds"

expect_rc 0 "disasm --jited=unchecked" "$UEBPF" disasm --jited=unchecked "$TMP/p.s"
expect_match "$out" '^; unchecked JIT code' "the listing says unchecked"
expect_match "$out" '^ +[0-9a-f]+: +mov +edi, dword ptr \[rdi\]$' "an unchecked load is one mov"

# A switch tree on r2 (5 nodes, constants up to 5): unchecked code gets a
# jump table for the values 0..6 inline after `jmp r11`, which the listing
# shows as one .table line and the entries' targets, never as instructions.
cat >"$TMP/switch.s" <<'ASM'
ldxw %r2, [%r1]
jgt %r2, 3, high
jlt %r2, 2, a
jeq %r2, 2, b
ja other
high:
jeq %r2, 4, b
jeq %r2, 5, a
ja other
a:
mov %r0, 10
exit
b:
mov %r0, 11
exit
other:
mov %r0, 12
exit
ASM
expect_rc 0 "disasm --jited=unchecked of a switch tree" \
	"$UEBPF" disasm --jited=unchecked "$TMP/switch.s"
expect_match "$out" '^ +[0-9a-f]+: +jmp +r11$' "the tree dispatches through a table"
expect_match "$out" '^ +[0-9a-f]+:  \.table 7 x rel32$' "the table is listed as data"
expect_match "$out" '^ +0\.\.1 -> insn 8, 2 -> insn 10, 3 -> insn 4, 4 -> insn 10, 5 -> insn 8, 6 -> insn 7$' \
	"with each value's target instruction, equal neighbours grouped"
table=$(printf '%s\n' "$out" | sed -En 's/^ +([0-9a-f]+):  \.table ([0-9]+) x rel32$/\1 \2/p')
if [ -z "$table" ]; then
	fail "no .table line to check the instruction addresses against"
else
	read -r table_hex table_entries <<<"$table"
	table_lo=$((16#$table_hex))
	table_hi=$((table_lo + 4 * table_entries))
	inside=0
	while read -r addr; do
		a=$((16#$addr))
		if [ "$a" -ge "$table_lo" ] && [ "$a" -lt "$table_hi" ]; then
			inside=$((inside + 1))
		fi
	done < <(printf '%s\n' "$out" | sed -En 's/^ +([0-9a-f]+):  [a-z].*$/\1/p' | grep -v "^$table_hex\$")
	if [ "$inside" -eq 0 ]; then
		echo "ok: no instruction is listed inside the table's bytes"
	else
		fail "$inside instruction line(s) inside the table [0x$table_hex, +$((4 * table_entries)))"
		printf '%s\n' "$out"
	fi
fi
expect_rc 0 "disasm --jited (checked) of a switch tree" "$UEBPF" disasm --jited "$TMP/switch.s"
if printf '%s\n' "$out" | grep -q '\.table'; then
	fail "checked code has no jump tables, yet the listing shows one"
else
	echo "ok: checked code lists no table"
fi

"$UEBPF" asm "$TMP/p.s" -o "$TMP/p.bin" >/dev/null 2>&1 || fail "asm of p.s"
expect_rc 0 "disasm --jited of a raw file" "$UEBPF" disasm --jited "$TMP/p.bin"
expect_match "$out" '^ +3: exit$' "raw file listed"

cat >"$TMP/vec.data" <<'VEC'
-- asm
mov %r0, 7
exit
-- result
0x7
VEC
expect_rc 0 "disasm --jited of a .data vector" "$UEBPF" disasm --jited "$TMP/vec.data"
expect_match "$out" '^ +0: mov %r0, 7$' ".data program listed"

expect_rc 64 "--jited with a bad mode" "$UEBPF" disasm --jited=fast "$TMP/p.s"
expect_match "$err" 'expected checked or unchecked' "bad mode explained"
expect_rc 1 "--jited of a missing file" "$UEBPF" disasm --jited "$TMP/missing.s"

# An ELF object: every program, or the one --prog names.
if command -v clang-19 >/dev/null 2>&1; then
	cat >"$TMP/two.bpf.c" <<'C'
__attribute__((section("xdp"), used)) int first(void *ctx) { return 1; }
__attribute__((section("xdp"), used)) int second(void *ctx) { return 2; }
char LICENSE[] __attribute__((section("license"), used)) = "GPL";
C
	if clang-19 -O2 -target bpf -mcpu=v3 -c "$TMP/two.bpf.c" -o "$TMP/two.bpf.o" 2>"$TMP/cc.log"; then
		expect_rc 0 "disasm --jited of an object" "$UEBPF" disasm --jited "$TMP/two.bpf.o"
		expect_match "$out" '^; first$' "first program listed"
		expect_match "$out" '^; second$' "second program listed"
		expect_rc 0 "disasm --jited --prog" "$UEBPF" disasm --jited "$TMP/two.bpf.o" --prog second
		if printf '%s\n' "$out" | grep -q '^; first$'; then
			fail "--prog second also listed first"
		else
			echo "ok: --prog lists only the program named"
		fi
		expect_rc 1 "disasm --jited --prog of a missing program" \
			"$UEBPF" disasm --jited "$TMP/two.bpf.o" --prog third
	else
		echo "note: clang-19 could not build a BPF object ($(head -1 "$TMP/cc.log")); ELF part skipped"
	fi
else
	echo "note: no clang-19; ELF part skipped"
fi
finish
