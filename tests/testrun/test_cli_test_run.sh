# `uebpf test-run` over the xdp, tc and socket examples: return values,
# output data, map contents, --json, --repeat, --set-map, trace output,
# raw programs, and the error messages.
. "$(dirname "$0")/common.sh"
need_examples
XDP=$EXAMPLES/xdp_parser/xdp_parser.bpf.o
TC=$EXAMPLES/tc_classifier/tc_classifier.bpf.o

# ---- xdp_parser: counts UDP ports and per-protocol totals, passes all
expect_rc 0 "xdp udp packet runs" "$UEBPF" test-run "$XDP" --data "$UDP53" --dump-maps
expect_match "$out" "^retval 2 \(XDP_PASS\)" "xdp udp: XDP_PASS"
expect_match "$out" "^data out: 42 bytes" "xdp udp: data out is the packet"
expect_contains "$out" "key: 35 00  value: 01 00 00 00 00 00 00 00" "xdp udp: port 53 counted once"
expect_contains "$out" "(__u16)53 => (__u64)1" "xdp udp: BTF-typed key and value"
expect_contains "$out" "key: 11 00 00 00  value: 01 00 00 00 00 00 00 00 2a 00 00 00 00 00 00 00" \
	"xdp udp: protocol 17 total: 1 packet, 42 bytes"

expect_rc 0 "xdp udp packet, 10 runs" "$UEBPF" test-run "$XDP" --data "$UDP53" --repeat 10 --dump-maps
expect_contains "$out" "key: 35 00  value: 0a 00 00 00 00 00 00 00" "xdp --repeat 10: counted 10 times"
expect_match "$out" "ns per run \(10 runs\)" "xdp --repeat 10: timing line"

expect_rc 0 "xdp tcp packet" "$UEBPF" test-run "$XDP" --data "$TCP80" --dump-maps
expect_match "$out" "^retval 2 " "xdp tcp: XDP_PASS"
expect_contains "$out" "key: 06 00 00 00" "xdp tcp: protocol 6 counted"
case "$out" in *"key: 50 00"*|*"key: 35 00"*) fail "xdp tcp: a UDP port was counted";; *) echo "ok: xdp tcp: no UDP port";; esac

expect_rc 0 "xdp truncated ipv4" "$UEBPF" test-run "$XDP" --data "$ETH_IP4 45000028"
expect_match "$out" "^retval 1 \(XDP_DROP\)" "xdp truncated: XDP_DROP"

expect_rc 0 "xdp arp" "$UEBPF" test-run "$XDP" --data "$ARP" --dump-maps
expect_match "$out" "^retval 2 " "xdp arp: XDP_PASS"
expect_contains "$out" "(256 elements all zero, not shown)" "xdp arp: no protocol counted"

# ---- --json shape
expect_rc 0 "xdp --json" "$UEBPF" test-run "$XDP" --data "$UDP53" --json --dump-maps
json=$out
for key in '"program":"xdp_count_udp"' '"type":"xdp"' '"verified":' '"checked":' '"engine":"default"' \
	   '"retval":2' '"r0":2' '"duration_ns":' '"repeat":1' '"data_size_out":42' \
	   '"data_out":"000000000000020000000001080045' '"trace":[]' '"maps":[{"name":"proto_totals"' \
	   '"entries":[{"key":"3500","key_btf":"(__u16)53","value":"0100000000000000"'; do
	expect_contains "$json" "$key" "json has $key"
done
if command -v python3 >/dev/null; then
	if printf '%s' "$json" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert isinstance(d["maps"], list) and d["retval"] == 2'; then
		echo "ok: --json output parses as JSON"
	else
		fail "--json output does not parse: $json"
	fi
fi
[ "$(printf '%s\n' "$json" | wc -l)" -eq 1 ] && echo "ok: --json is one line" || fail "--json is not one line"

# ---- tc_block_port: drops TCP to blocked_port (23, a .rodata setting)
expect_rc 0 "tc blocked port" "$UEBPF" test-run "$TC" --data "$TCP23" --dump-maps
expect_match "$out" "^retval 2 \(TC_ACT_SHOT\)" "tc port 23: TC_ACT_SHOT"
expect_contains "$out" "key: 01 00 00 00  value: 01 00 00 00 00 00 00 00" "tc port 23: verdicts[1] = 1"
expect_rc 0 "tc other port" "$UEBPF" test-run "$TC" --data "$TCP80" --ctx-out "$TMP/ctx.bin" --dump-maps
expect_match "$out" "^retval 0 \(TC_ACT_OK\)" "tc port 80: TC_ACT_OK"
expect_contains "$out" "key: 00 00 00 00  value: 01 00 00 00 00 00 00 00" "tc port 80: verdicts[0] = 1"
mark=$(od -A n -t x1 -j 8 -N 4 "$TMP/ctx.bin" | tr -d ' \n')
[ "$mark" = "2a000000" ] && echo "ok: tc port 80: mark 0x2a in ctx out" || fail "tc ctx out mark is '$mark'"
expect_rc 0 "tc --set-map blocked_port=80" "$UEBPF" test-run "$TC" --data "$TCP80" --set-map .rodata:00000000:5000
expect_match "$out" "^retval 2 \(TC_ACT_SHOT\)" "tc: port 80 dropped after --set-map .rodata"
expect_rc 0 "tc_classify_by_len" "$UEBPF" test-run "$TC" --prog tc_classify_by_len --data "$TCP80"
expect_match "$out" "^retval 0 " "tc_classify_by_len: TC_ACT_OK"

# ---- socket filters see the packet from the network header (as the
# kernel's test runs): bpf2bpf_socket returns skb->len = 54 - 14.
expect_rc 0 "socket filter" "$UEBPF" test-run "$EXAMPLES/bpf2bpf/bpf2bpf.bpf.o" --prog bpf2bpf_socket --data "$TCP80" --json
expect_contains "$out" '"retval":40' "socket filter: len is the L3 length"
expect_contains "$out" '"data_out":"0000000000000000000000000000450000' "socket filter: Ethernet header zeroed in data out"

# socket_keep_udp checks the Ethernet type at ld_abs offset 12, which in a
# test run is inside the IPv4 header: the kernel returns 0 for it too. Its
# sibling calls a helper socket filters of this build may lack; it loads
# alone then.
expect_rc 0 "socket_keep_udp" "$UEBPF" test-run "$EXAMPLES/socket_filter/socket_filter.bpf.o" --prog socket_keep_udp --data "$UDP53"
expect_match "$out" "^retval 0 " "socket_keep_udp: 0 (L3 offsets, as the kernel)"
expect_match "$out" "^note: as in the kernel's test runs, the socket filter saw the packet from its network header \(skb->len 28" "socket filter note"

# ---- bpf_printk output
big=$(printf '00%.0s' $(seq 200))
expect_rc 0 "globals printk" "$UEBPF" test-run "$EXAMPLES/globals/globals.bpf.o" --data "$big" --dump-maps
expect_contains "$out" "big packet: 200 bytes" "bpf_printk output printed"
expect_contains "$out" "hits = (__u64)10" "global variable shown by name"

# ---- --data-in / --data-out files, raw programs
printf '\x2a\x00\x00\x00' > "$TMP/in.bin"
cat > "$TMP/inc.s" <<'ASM'
ldxw %r0, [%r1+0]
add %r0, 1
stxw [%r1+0], %r0
exit
ASM
expect_rc 0 "raw .s program" "$UEBPF" test-run "$TMP/inc.s" --data-in "$TMP/in.bin" --data-out "$TMP/out.bin" --repeat 3
expect_match "$out" "^retval 45 " "raw: three runs on one buffer"
[ "$(od -A n -t x1 "$TMP/out.bin" | tr -d ' \n')" = "2d000000" ] && echo "ok: raw: --data-out written" \
	|| fail "raw: --data-out holds $(od -A n -t x1 "$TMP/out.bin")"

# ---- errors
expect_rc 1 "unknown program" "$UEBPF" test-run "$TC" --prog nosuch --data "$TCP80"
expect_match "$err" "no program 'nosuch'; the object has: tc_block_port, tc_classify_by_len" "unknown program named, choices listed"
expect_rc 1 "bad hex" "$UEBPF" test-run "$TC" --data "08 0g"
expect_match "$err" "bad hex byte '0g'" "bad hex named"
expect_rc 1 "missing file" "$UEBPF" test-run "$TMP/none.o"
expect_match "$err" "none.o: cannot open: No such file" "missing file named"
expect_rc 1 "missing --data-in file" "$UEBPF" test-run "$XDP" --data-in "$TMP/none.bin"
expect_match "$err" "none.bin: cannot open" "missing input file named"
expect_rc 1 "packet too short" "$UEBPF" test-run "$XDP" --data "0102"
expect_match "$err" "at least 14 bytes" "short packet explained"
expect_rc 1 "--set-map unknown map" "$UEBPF" test-run "$XDP" --data "$UDP53" --set-map nomap:00:00
expect_match "$err" "no map 'nomap'" "unknown map named"
expect_rc 64 "--repeat 0" "$UEBPF" test-run "$XDP" --repeat 0
expect_rc 64 "--engine bogus" "$UEBPF" test-run "$XDP" --engine bogus
expect_rc 64 "--hold without --pin-dir" "$UEBPF" test-run "$XDP" --hold 1
expect_rc 64 "no object" "$UEBPF" test-run
finish
