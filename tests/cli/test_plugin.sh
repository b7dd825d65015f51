#!/usr/bin/env bash
# Plugin mode for bpf_conformance_runner: program as hex on stdin, memory as
# hex in argv[1], options after it, r0 printed in hex without a prefix.
. "$(dirname "$0")/common.sh"

# mov %r0, 1; exit
prog="b7 00 00 00 01 00 00 00 95 00 00 00 00 00 00 00"
run_cmd sh -c "echo '$prog' | '$UEBPF' plugin"
[ "$rc" -eq 0 ] && [ "$out" = "1" ] && echo "ok: plugin prints r0 in hex" || fail "plugin: rc=$rc out='$out' err='$err'"

# bpf_conformance passes memory as "aa  bb  " and an empty options argument.
printf 'ldxh %%r0, [%%r1+1]\nexit\n' >"$TMP/mem.s"
"$UEBPF" asm "$TMP/mem.s" -o "$TMP/mem.bin"
run_cmd sh -c "od -An -tx1 -v '$TMP/mem.bin' | '$UEBPF' plugin '11  22  33  ' ''"
[ "$rc" -eq 0 ] && [ "$out" = "3322" ] && echo "ok: plugin reads memory from argv[1]" || fail "plugin mem: rc=$rc out='$out' err='$err'"

# --program instead of stdin, and a negative r0 printed as 64-bit hex.
run_cmd "$UEBPF" plugin --program "b7 00 00 00 ff ff ff ff 95 00 00 00 00 00 00 00" </dev/null
[ "$rc" -eq 0 ] && [ "$out" = "ffffffffffffffff" ] && echo "ok: --program" || fail "plugin --program: rc=$rc out='$out' err='$err'"

# Refused program: non-zero exit, reason on stdout and stderr.
run_cmd sh -c "echo '07 00 01 00 01 00 00 00 95 00 00 00 00 00 00 00' | '$UEBPF' plugin"
[ "$rc" -ne 0 ] && echo "ok: refused program exits $rc" || fail "plugin accepted a program with a non-zero unused field"
expect_match "$out" '^Failed to load code: .+' "refusal reason on stdout"
expect_match "$err" 'Failed to load code' "refusal reason on stderr"
run_cmd sh -c "echo 'b7 00 00' | '$UEBPF' plugin"
[ "$rc" -ne 0 ] && echo "ok: truncated program refused" || fail "plugin accepted 3 bytes"
run_cmd sh -c "echo 'zz' | '$UEBPF' plugin"
[ "$rc" -ne 0 ] && echo "ok: bad hex refused" || fail "plugin accepted bad hex"

# Run as `uebpf_plugin` (the name bpf_conformance_runner's docs use).
ln -s "$UEBPF" "$TMP/uebpf_plugin"
run_cmd sh -c "echo '$prog' | '$TMP/uebpf_plugin' '' ''"
[ "$rc" -eq 0 ] && [ "$out" = "1" ] && echo "ok: uebpf_plugin symlink" || fail "uebpf_plugin: rc=$rc out='$out' err='$err'"

# A couple of shared vectors, fed the way the runner feeds them.
if have_vectors; then
	for name in ldxh callx call_unwind_fail lddw; do
		f=$VECTORS/tests/$name.data
		[ -f "$f" ] || continue
		"$UEBPF" asm "$f" -o "$TMP/$name.bin" || { fail "asm $f"; continue; }
		mem=$(awk '/^-- /{s=$2} s=="mem" && !/^-- /' "$f" | tr '\n' ' ')
		want=$(awk '/^-- /{s=$2; next} s=="result"{print; exit}' "$f" | sed 's/^0x//' | sed 's/^0*\(.\)/\1/')
		run_cmd sh -c "od -An -tx1 -v '$TMP/$name.bin' | '$UEBPF' plugin '$mem' ''"
		if [ "$rc" -eq 0 ] && [ "$out" = "$want" ]; then
			echo "ok: plugin on $name gives $want"
		else
			fail "plugin on $name: rc=$rc out='$out' want '$want' err='$err'"
		fi
	done
fi
finish
