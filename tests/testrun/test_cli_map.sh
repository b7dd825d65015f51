# `uebpf map` on maps another process holds: `uebpf test-run --pin-dir D
# --hold N` runs a program and keeps its maps pinned while this script
# lists, dumps, updates and deletes through them.
. "$(dirname "$0")/common.sh"
need_examples
XDP=$EXAMPLES/xdp_parser/xdp_parser.bpf.o
PINS=$TMP/pins

"$UEBPF" test-run "$XDP" --data "$UDP53" --pin-dir "$PINS" --hold 120 >"$TMP/holder.out" 2>&1 &
holder=$!
trap 'kill $holder 2>/dev/null; rm -rf "$TMP"' EXIT
# Wait (no time assertion) until the holder has run and printed.
for _ in $(seq 600); do
	grep -q "^retval" "$TMP/holder.out" 2>/dev/null && break
	kill -0 $holder 2>/dev/null || break
	sleep 0.1
done
grep -q "^retval 2" "$TMP/holder.out" && echo "ok: holder ran" || { fail "holder did not run: $(cat "$TMP/holder.out")"; finish; }

expect_rc 0 "map list" "$UEBPF" map list --pin-dir "$PINS"
expect_match "$out" "^proto_totals +array +key 4 +value 16 +max_entries 256" "list: proto_totals"
expect_match "$out" "^udp_port_counts +hash +key 2 +value 8 +max_entries 1024" "list: udp_port_counts"
expect_rc 0 "map list --json" "$UEBPF" map list --pin-dir "$PINS" --json
expect_contains "$out" '{"name":"udp_port_counts","type":"hash","key_size":2,"value_size":8,"max_entries":1024' "list --json"

expect_rc 0 "map dump" "$UEBPF" map dump --pin-dir "$PINS" udp_port_counts
expect_contains "$out" "key: 35 00  value: 01 00 00 00 00 00 00 00" "dump: the holder's count is visible"
expect_rc 0 "map lookup" "$UEBPF" map lookup --pin-dir "$PINS" udp_port_counts 3500
expect_match "$out" "^01 00 00 00 00 00 00 00$" "lookup: value"

expect_rc 0 "map update" "$UEBPF" map update --pin-dir "$PINS" udp_port_counts 5000 0700000000000000 --flags noexist
expect_rc 1 "map update noexist on an existing key" "$UEBPF" map update --pin-dir "$PINS" udp_port_counts 5000 0800000000000000 --flags noexist
expect_match "$err" "exist" "update noexist refused"
expect_rc 0 "map update exist" "$UEBPF" map update --pin-dir "$PINS" udp_port_counts 5000 0900000000000000 --flags exist
expect_rc 0 "map dump --json" "$UEBPF" map dump --pin-dir "$PINS" udp_port_counts --json
expect_contains "$out" '{"key":"5000","value":"0900000000000000"}' "dump --json: updated entry"
expect_rc 0 "map delete" "$UEBPF" map delete --pin-dir "$PINS" udp_port_counts 5000
expect_rc 1 "lookup of a deleted key" "$UEBPF" map lookup --pin-dir "$PINS" udp_port_counts 5000
expect_rc 0 "array dump hides zero elements" "$UEBPF" map dump --pin-dir "$PINS" proto_totals
expect_contains "$out" "(255 elements all zero, not shown)" "array dump: zero elements counted"

# The holder still runs: a second test-run reuses the pinned maps.
kill -0 $holder 2>/dev/null && echo "ok: holder still alive" || fail "holder exited early"
expect_rc 0 "second test-run on the pinned maps" "$UEBPF" test-run "$XDP" --data "$UDP53" --pin-dir "$PINS"
expect_rc 0 "map dump after the second run" "$UEBPF" map dump --pin-dir "$PINS" udp_port_counts
expect_contains "$out" "key: 35 00  value: 02 00 00 00 00 00 00 00" "both runs counted in one map"

# Errors.
expect_rc 1 "unknown map" "$UEBPF" map dump --pin-dir "$PINS" nosuch
expect_match "$err" "no map 'nosuch'" "unknown map named"
expect_rc 1 "key of the wrong size" "$UEBPF" map lookup --pin-dir "$PINS" udp_port_counts 35
expect_match "$err" "key is 1 byte but map 'udp_port_counts' takes 2" "key size explained"
expect_rc 1 "bad hex key" "$UEBPF" map lookup --pin-dir "$PINS" udp_port_counts xx00
expect_rc 64 "unknown verb" "$UEBPF" map frobnicate --pin-dir "$PINS"
expect_rc 64 "bad --flags" "$UEBPF" map update --pin-dir "$PINS" udp_port_counts 3500 00 --flags sometimes
expect_rc 1 "missing pin dir" "$UEBPF" map list --pin-dir "$TMP/nowhere"

# The other direction: a value stored from the command line changes what a
# later run of the program (sharing the pinned map) does. bloom_check drops
# packets whose source address is in the `deny` filter.
BLOOM=$EXAMPLES/maps/bloom_filter.bpf.o
expect_rc 0 "bloom run before" "$UEBPF" test-run "$BLOOM" --data "$UDP53" --pin-dir "$PINS"
expect_match "$out" "^retval 2 \(XDP_PASS\)" "source not denied yet: XDP_PASS"
expect_rc 1 "bloom lookup: absent" "$UEBPF" map lookup --pin-dir "$PINS" deny 0a000001
expect_match "$out" "^absent$" "bloom lookup says absent"
expect_rc 0 "bloom update (push)" "$UEBPF" map update --pin-dir "$PINS" deny 0a000001
expect_rc 0 "bloom lookup: present" "$UEBPF" map lookup --pin-dir "$PINS" deny 0a000001
expect_rc 0 "bloom run after" "$UEBPF" test-run "$BLOOM" --data "$UDP53" --pin-dir "$PINS"
expect_match "$out" "^retval 1 \(XDP_DROP\)" "denied source: XDP_DROP"

kill $holder 2>/dev/null
wait $holder 2>/dev/null
finish
