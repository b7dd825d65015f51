#!/usr/bin/env bash
# `uebpf disasm --jited`: the JIT's x86-64 code under each instruction, for
# assembly, raw and .data programs (and an ELF object when clang can build
# one), checked by default or unchecked; bad arguments are usage errors.
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
