#!/usr/bin/env bash
# Messages and exit codes: 1 for bad input or refused programs (message
# prefixed by the file name), 2 for what this build cannot do yet, 64 for a
# bad command line.
. "$(dirname "$0")/common.sh"

expect_rc 0 "--help" "$UEBPF" --help
expect_match "$out" '^  conformance ' "--help lists the commands"
expect_rc 0 "--version" "$UEBPF" --version
expect_match "$out" '^uebpf [0-9]+\.[0-9]+\.[0-9]+$' "--version prints the version"
expect_rc 0 "run --help" "$UEBPF" run --help
expect_match "$out" '--repeat' "run --help shows its flags"
expect_rc 64 "no command" "$UEBPF"
expect_rc 64 "unknown command" "$UEBPF" frobnicate
expect_match "$err" "unknown command 'frobnicate'" "unknown command named"
expect_rc 64 "unknown flag" "$UEBPF" run --frob x.s

# Missing files.
for cmd in "asm $TMP/missing.s -o $TMP/x.bin" "disasm $TMP/missing.bin" "run $TMP/missing.s"; do
	# shellcheck disable=SC2086
	expect_rc 1 "$cmd" "$UEBPF" $cmd
	expect_match "$err" "^$TMP/missing\.(s|bin): cannot open: No such file or directory$" "$cmd names the file"
done
expect_rc 64 "asm without -o" "$UEBPF" asm "$TMP/missing.s"

# Bad assembly: the message names the file and the line.
printf 'mov %%r0, 1\nfrob %%r0, 2\nexit\n' >"$TMP/bad.s"
expect_rc 1 "asm of bad assembly" "$UEBPF" asm "$TMP/bad.s" -o "$TMP/bad.bin"
expect_match "$err" "^$TMP/bad.s: .*2" "asm error names the file and line 2"
[ -e "$TMP/bad.bin" ] && fail "a failed asm left $TMP/bad.bin behind"
expect_rc 1 "run of bad assembly" "$UEBPF" run "$TMP/bad.s"
expect_match "$err" "^$TMP/bad.s: " "run error names the file"

# Raw files: not a whole number of instructions, or refused at load.
printf '\x95\x00\x00\x00\x00\x00\x00' >"$TMP/short.bin"
expect_rc 1 "run of a 7-byte raw file" "$UEBPF" run "$TMP/short.bin"
expect_match "$err" "^$TMP/short.bin: .*8-byte" "short raw file explained"
printf '\x07\x00\x01\x00\x01\x00\x00\x00\x95\x00\x00\x00\x00\x00\x00\x00' >"$TMP/unused.bin"
expect_rc 1 "run of a program with a non-zero unused field" "$UEBPF" run "$TMP/unused.bin"
expect_match "$err" "^$TMP/unused.bin: .+" "load refusal names the file"

# ELF objects go to the loader, which names what is wrong with a broken one.
printf '\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00' >"$TMP/obj.o"
expect_rc 1 "disasm of a broken ELF object" "$UEBPF" disasm "$TMP/obj.o"
expect_match "$err" "obj.o: .*ELF" "broken ELF refusal names the file"

# Bad --mem.
printf 'mov %%r0, 1\nexit\n' >"$TMP/one.s"
expect_rc 1 "run --mem with bad hex" "$UEBPF" run "$TMP/one.s" --mem "01 zz"
expect_match "$err" "zz" "bad hex byte named"
expect_rc 1 "run --mem-file missing" "$UEBPF" run "$TMP/one.s" --mem-file "$TMP/nomem"
expect_match "$err" "^$TMP/nomem: cannot open" "missing mem file named"

# conformance: missing path, folder without vectors, no path.
expect_rc 1 "conformance on a missing path" "$UEBPF" conformance "$TMP/nowhere"
expect_match "$err" "$TMP/nowhere" "missing path named"
mkdir "$TMP/empty"
expect_rc 1 "conformance on a folder without vectors" "$UEBPF" conformance "$TMP/empty"
expect_match "$err" "no .data vectors" "empty folder explained"
expect_rc 64 "conformance without a path" "$UEBPF" conformance
finish
