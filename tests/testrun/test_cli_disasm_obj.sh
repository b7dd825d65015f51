# `uebpf disasm OBJ`: programs as linked, with source lines, map names,
# helper names and branch targets.
. "$(dirname "$0")/common.sh"
need_examples
XDP=$EXAMPLES/xdp_parser/xdp_parser.bpf.o

expect_rc 0 "disasm object" "$UEBPF" disasm "$XDP"
expect_match "$out" "^xdp_count_udp: section xdp, type xdp, [0-9]+ instructions" "program header"
expect_match "$out" "^; xdp_parser.bpf.c:[0-9]+: .*bpf_map_lookup_elem\(&proto_totals, &proto\);" "source line shown"
expect_match "$out" "lddw %r1, map_idx [0-9]+ +; map proto_totals" "map reference named"
expect_match "$out" "call 1 +; bpf_map_lookup_elem" "helper named"
expect_match "$out" "; -> insn [0-9]+" "branch target shown"

expect_rc 0 "disasm --prog" "$UEBPF" disasm "$EXAMPLES/tc_classifier/tc_classifier.bpf.o" --prog tc_classify_by_len
expect_match "$out" "^tc_classify_by_len: section classifier" "--prog picks the program"
case "$out" in *tc_block_port*) fail "--prog printed another program";; *) echo "ok: only that program";; esac

expect_rc 0 "global data by name" "$UEBPF" disasm "$EXAMPLES/globals/globals.bpf.o"
expect_match "$out" "; &\.(rodata|data|bss)[a-z.]* \+ [0-9]+" "global data reference named"

expect_rc 0 "sub-programs" "$UEBPF" disasm "$EXAMPLES/bpf2bpf/bpf2bpf.bpf.o" --prog bpf2bpf_xdp
expect_match "$out" "^sum_of_squares\(\):" "appended function named"
expect_match "$out" "call local .*; -> insn [0-9]+" "local call target"

expect_rc 1 "unknown --prog" "$UEBPF" disasm "$XDP" --prog nosuch
expect_match "$err" "no program 'nosuch'; programs: xdp_count_udp" "unknown program named"
printf 'mov %%r0, 1\nexit\n' > "$TMP/p.s"
expect_rc 64 "--prog on a non-ELF file" "$UEBPF" disasm "$TMP/p.s" --prog x
finish
