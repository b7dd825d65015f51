#!/usr/bin/env bash
# uebpf conformance verdicts on small hand-made vectors, --verbose and
# --expect-fail.
. "$(dirname "$0")/common.sh"

v=$TMP/vectors
mkdir -p "$v/sub"
cat >"$v/good.data" <<'VEC'
# a comment
-- asm
mov %r0, 1
exit
-- result
0x1
VEC
cat >"$v/sub/with_raw.data" <<'VEC'
-- asm
mov %r0, 2
exit
-- raw
b7 00 00 00 02 00 00 00
95 00 00 00 00 00 00 00
-- result
0x2
VEC
cat >"$v/with_mem.data" <<'VEC'
-- asm
ldxw %r0, [%r1+4]
exit
-- mem
00 00 00 00 78 56 34 12
-- result
0x12345678
VEC
cat >"$v/refused.data" <<'VEC'
-- raw
b7 00 01 00 01 00 00 00
95 00 00 00 00 00 00 00
-- result
0x1
-- error
VEC
expect_rc 0 "conformance on passing vectors" "$UEBPF" conformance "$v"
expect_match "$out" '^4 passed, 0 failed$' "summary line"
expect_rc 0 "--verbose" "$UEBPF" conformance --verbose "$v"
expect_match "$out" '^PASS sub/with_raw' "--verbose prints PASS lines named by relative path"
expect_match "$out" '^PASS refused: load failed' "error vector passes when refused"
expect_match "$out" "expected error: ''" "--verbose shows the expected error"

f=$TMP/failing
mkdir -p "$f"
cat >"$f/wrong_result.data" <<'VEC'
-- asm
mov %r0, 1
exit
-- result
0x2
VEC
cat >"$f/mismatch.data" <<'VEC'
-- asm
mov %r0, 1
exit
-- raw
b7 00 00 00 02 00 00 00
95 00 00 00 00 00 00 00
-- result
0x1
VEC
cat >"$f/unknown.data" <<'VEC'
-- asm
mov %r0, 1
exit
-- result
0x1
-- surprise
VEC
cat >"$f/no_program.data" <<'VEC'
-- result
0x0
VEC
cat >"$f/no_result.data" <<'VEC'
-- asm
mov %r0, 0
exit
VEC
cat >"$f/not_refused.data" <<'VEC'
-- asm
mov %r0, 0
exit
-- result
0x0
-- error
Invalid
VEC
cat >"$f/bad_asm.data" <<'VEC'
-- asm
mov %r0, %r50
exit
-- result
0x0
VEC
expect_rc 1 "conformance on failing vectors" "$UEBPF" conformance "$f"
expect_match "$out" '^0 passed, 7 failed$' "every bad vector fails"
expect_match "$out" '^FAIL wrong_result: r0 = 0x1, expected 0x2$' "wrong result explained"
expect_match "$out" '^FAIL mismatch: .*instruction 0' "asm/raw mismatch explained"
expect_match "$out" "^FAIL unknown: unknown section '-- surprise'" "unknown section explained"
expect_match "$out" '^FAIL no_program: no program' "missing program explained"
expect_match "$out" '^FAIL no_result: no result section' "missing result explained"
expect_match "$out" '^FAIL not_refused: it ran to r0 = 0x0, but its error section' "unmet error explained"
expect_match "$out" '^FAIL bad_asm: assembly failed: ' "assembler refusal explained"

expect_rc 0 "--expect-fail on failing vectors" "$UEBPF" conformance --expect-fail "$f"
expect_match "$out" '^7 passed, 0 failed$' "--expect-fail inverts every verdict"
expect_rc 1 "--expect-fail on passing vectors" "$UEBPF" conformance --expect-fail "$v/good.data"
expect_match "$out" '^FAIL good: passes .*--expect-fail' "--expect-fail reports a passing vector"
expect_match "$out" '^0 passed, 1 failed$' "--expect-fail summary"

# Files and folders mix; each file counts once.
expect_rc 1 "files and folders together" "$UEBPF" conformance "$v" "$f/wrong_result.data"
expect_match "$out" '^4 passed, 1 failed$' "mixed summary"

# Helper 5: returns its argument; 0 ends the program with r0 = 0.
cat >"$v/helper5.data" <<'VEC'
-- asm
mov %r1, 7
call 5
exit
-- result
0x7
VEC
cat >"$v/helper5_exit.data" <<'VEC'
-- asm
mov %r1, 0
call 5
mov %r0, 2
exit
-- result
0x0
VEC
expect_rc 0 "helper 5" "$UEBPF" conformance "$v/helper5.data" "$v/helper5_exit.data"
expect_match "$out" '^2 passed, 0 failed$' "helper 5 returns its argument and unwinds on 0"

if have_vectors; then
	expect_rc 0 "the shared vectors" "$UEBPF" conformance "$VECTORS/tests"
	expect_match "$out" "^$(ls "$VECTORS"/tests/*.data | wc -l) passed, 0 failed$" "every shared vector passes"
	expect_rc 0 "the shared negative vectors with --expect-fail" "$UEBPF" conformance --expect-fail "$VECTORS/negative"
	expect_match "$out" "^$(ls "$VECTORS"/negative/*.data | wc -l) passed, 0 failed$" "every negative vector fails"
fi
finish
