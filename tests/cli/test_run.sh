#!/usr/bin/env bash
# uebpf run: r0 output, --mem/--mem-file, vectors' mem, --json, --repeat.
. "$(dirname "$0")/common.sh"

printf 'mov %%r0, 42\nexit\n' >"$TMP/answer.s"
expect_rc 0 "run answer.s" "$UEBPF" run "$TMP/answer.s"
expect_match "$out" '^r0 = 0x2a \(42\)$' "r0 in hex and decimal"

printf 'mov %%r0, -1\nexit\n' >"$TMP/minus.s"
expect_rc 0 "run minus.s" "$UEBPF" run "$TMP/minus.s"
expect_match "$out" '^r0 = 0xffffffffffffffff \(18446744073709551615, signed -1\)$' "negative r0 also shown signed"

# r1 = input, r2 = its length.
printf 'ldxb %%r0, [%%r1+2]\nadd %%r0, %%r2\nexit\n' >"$TMP/mem.s"
expect_rc 0 "run --mem" "$UEBPF" run "$TMP/mem.s" --mem "01 02 30 04"
expect_match "$out" '^r0 = 0x34 \(52\)$' "--mem bytes reach r1, length in r2"
expect_rc 0 "run --mem without spaces" "$UEBPF" run "$TMP/mem.s" --mem 01023004
expect_match "$out" '^r0 = 0x34 ' "--mem accepts packed hex"
printf '\x01\x02\x30\x04\x05' >"$TMP/mem.bin"
expect_rc 0 "run --mem-file" "$UEBPF" run "$TMP/mem.s" --mem-file "$TMP/mem.bin"
expect_match "$out" '^r0 = 0x35 ' "--mem-file bytes reach r1"
expect_rc 64 "--mem with --mem-file is a usage error" "$UEBPF" run "$TMP/mem.s" --mem 01 --mem-file "$TMP/mem.bin"

# A .data vector runs with its own mem unless --mem is given.
cat >"$TMP/vec.data" <<'VEC'
-- asm
ldxh %r0, [%r1]
exit
-- mem
34 12
-- result
0x1234
VEC
expect_rc 0 "run vec.data" "$UEBPF" run "$TMP/vec.data"
expect_match "$out" '^r0 = 0x1234 ' "vector's mem used"
expect_rc 0 "run vec.data --mem" "$UEBPF" run "$TMP/vec.data" --mem "cd ab"
expect_match "$out" '^r0 = 0xabcd ' "--mem overrides the vector's mem"

# Raw instructions.
"$UEBPF" asm "$TMP/answer.s" -o "$TMP/answer.bin"
expect_rc 0 "run answer.bin" "$UEBPF" run "$TMP/answer.bin"
expect_match "$out" '^r0 = 0x2a ' "raw program runs"

# --json: one object with the documented keys.
expect_rc 0 "run --json" "$UEBPF" run "$TMP/answer.s" --json
expect_match "$out" '^\{.*\}$' "--json prints one object on one line"
expect_match "$out" '"retval":42[,}]' "json retval"
expect_match "$out" '"retval_hex":"0x2a"' "json retval_hex"
expect_match "$out" '"runs":1[,}]' "json runs without --repeat"
expect_match "$out" '"median_ns":[0-9]' "json median_ns"
expect_match "$out" '"engine":"jit"' "json engine: verified programs run in the JIT"
expect_match "$out" '"verified":true' "json says the verifier accepted it"
if command -v python3 >/dev/null; then
	if printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["retval"]==42 and d["runs"]==1'; then
		echo "ok: --json output parses as JSON"
	else
		fail "--json output is not valid JSON: $out"
	fi
fi

# --repeat: median per run, N runs.
expect_rc 0 "run --repeat 1000" "$UEBPF" run "$TMP/answer.s" --repeat 1000
expect_match "$out" '^median [0-9.]+ ns per run \(1000 runs, [0-9]+ batches of [0-9]+, engine jit, verified, no runtime checks\)$' "--repeat prints the median"
expect_rc 0 "run --repeat 7 --json" "$UEBPF" run "$TMP/answer.s" --repeat 7 --json
expect_match "$out" '"runs":7[,}]' "json runs with --repeat"
expect_rc 64 "--repeat 0 is a usage error" "$UEBPF" run "$TMP/answer.s" --repeat 0
expect_rc 64 "--repeat x is a usage error" "$UEBPF" run "$TMP/answer.s" --repeat x

# --budget stops a program that loops for ever.
printf 'loop:\nja loop\nexit\n' >"$TMP/forever.s"
expect_rc 1 "the verifier refuses an endless loop" "$UEBPF" run "$TMP/forever.s"
expect_match "$err" "add --unverified" "a refusal says how to run it anyway"
expect_rc 1 "run --budget on an endless loop" "$UEBPF" run "$TMP/forever.s" --budget 1000 --unverified
expect_match "$err" "^$TMP/forever.s: .*budget" "budget error names the file"

# Engines: unknown is a usage error; jit either works or says it is not built.
expect_rc 64 "--engine bogus" "$UEBPF" run "$TMP/answer.s" --engine bogus
run_cmd "$UEBPF" run "$TMP/answer.s" --engine jit --json
case $rc in
0) expect_match "$out" '"retval":42,.*"engine":"jit"' "jit gives the same r0" ;;
2) expect_match "$err" "$TMP/answer.s: .+" "jit not built: exit 2 with the library's message" ;;
*) fail "--engine jit: exit $rc (stderr: $err)" ;;
esac

# The bundled examples run.
if [ -f "$SRC/examples/asm/primes.s" ]; then
	expect_rc 0 "run examples/asm/primes.s" "$UEBPF" run "$SRC/examples/asm/primes.s" --unverified
	expect_match "$out" '^r0 = 0x4cd \(1229\)$' "primes below 10000"
	run_cmd "$UEBPF" run "$SRC/examples/asm/checksum.s" --engine interp --json
	expect_match "$out" '"retval":65535,.*"engine":"interp","verified":true' "interp on request, verified"
fi
finish
