# examples/helpers/xdp_adjust.bpf.c (bpf_xdp_adjust_head/tail/meta,
# bpf_csum_diff), redirect.bpf.c (bpf_redirect) and redirect_map.bpf.c
# (bpf_redirect_map with a devmap and a devmap_hash): the output packets
# byte by byte, return values and redirect targets.
. "$(dirname "$0")/common.sh"
need_example xdp_adjust
need_example redirect
need_example redirect_map
OBJ=$HELPERS/xdp_adjust.bpf.o
ETH_HDR="000000000000020000000001"    # destination and source MAC
INNER="4500001c00010000401100000a0000030a0000049c40003500080000"
UDP53_HEX=$(printf '%s' "$UDP53" | tr -d ' ')

# ---- IP-in-IP decapsulation: the outer 20 bytes go, the MACs stay
run_json "decap ipip" "$OBJ" --prog xdp_ipip_decap --data "$ETH_IP4 45000030000100004004 0000 0a0000010a000002 $INNER"
expect_contains "$out" '"retval":2' "decap: XDP_PASS"
expect_contains "$out" "\"data_size_out\":42,\"data_out\":\"${ETH_HDR}0800${INNER}\"" \
	"decap: 62 -> 42 bytes, Ethernet header then the inner packet"
run_json "decap: plain udp untouched" "$OBJ" --prog xdp_ipip_decap --data "$UDP53"
expect_contains "$out" "\"data_size_out\":42,\"data_out\":\"$UDP53_HEX\"" "decap: UDP passes unchanged"

# ---- 802.1Q push: 4 bytes in front, tag 0x8100 / VLAN 100 / inner type
run_json "vlan push" "$OBJ" --prog xdp_vlan_push --data "$UDP53"
expect_contains "$out" "\"data_size_out\":46,\"data_out\":\"${ETH_HDR}810000640800${UDP53_HEX:28}\"" \
	"vlan push: 42 -> 46 bytes, 81 00 00 64 08 00 after the MACs"
run_json "vlan push, VLAN 5" "$OBJ" --prog xdp_vlan_push --data "$UDP53" --set-map .rodata:00000000:05000000400000000df0edfe
expect_contains "$out" "\"data_out\":\"${ETH_HDR}810000050800" "vlan push: VLAN id from .rodata"
run_json "vlan push: tagged stays" "$OBJ" --prog xdp_vlan_push --data "${ETH_HDR}810000640800${UDP53_HEX:28}"
expect_contains "$out" "\"data_size_out\":46,\"data_out\":\"${ETH_HDR}810000640800" "vlan push: a tagged frame is not tagged twice"
run_json "vlan push, 3 runs" "$OBJ" --prog xdp_vlan_push --data "$UDP53" --repeat 3
expect_contains "$out" "\"data_size_out\":46," "vlan push x3: later runs see the tag"

# ---- snap length: cut to 64 bytes
run_json "snap 142 bytes" "$OBJ" --prog xdp_snap --data "$UDP53 $(zeros 100)"
expect_contains "$out" "\"data_size_out\":64,\"data_out\":\"$UDP53_HEX$(zeros 22)\"" "snap: 142 -> 64 bytes"
run_json "snap short" "$OBJ" --prog xdp_snap --data "$UDP53"
expect_contains "$out" '"data_size_out":42,' "snap: 42 bytes stay"

# ---- metadata: the mark 0xfeedf00d (little-endian) in front of the packet
run_json "meta mark" "$OBJ" --prog xdp_mark_meta --data "$UDP53"
expect_contains "$out" "\"data_size_out\":46,\"data_out\":\"0df0edfe$UDP53_HEX\"" \
	"meta: 4 bytes of metadata before the packet in data out"
# After 28 bytes of metadata given in the context (ctx data = 28) the mark
# goes in front of them. (How much metadata fits differs: uebpf allows 32
# bytes, the older kernels' limit; Linux 6.18 allows up to the headroom,
# 216 bytes in a test run.)
run_json "meta after 28 bytes" "$OBJ" --prog xdp_mark_meta --data "$(zeros 28) $UDP53" \
	--ctx "1c000000 46000000 00000000 00000000 00000000 00000000"
expect_contains "$out" "\"data_size_out\":74,\"data_out\":\"0df0edfe$(zeros 28)$UDP53_HEX\"" \
	"meta: the mark goes in front of existing metadata"

# ---- TTL decrement with the IPv4 checksum recomputed by bpf_csum_diff:
# ttl 64, checksum 66ce -> ttl 63, checksum 67ce.
run_json "ttl 64" "$OBJ" --prog xdp_ttl_dec --data "$ETH_IP4 4500001c000100004011 66ce 0a0000010a000002 9c40003500080000"
expect_contains "$out" '"retval":3' "ttl: XDP_TX"
expect_contains "$out" "\"data_out\":\"${ETH_HDR}08004500001c000100003f1167ce0a0000010a0000029c40003500080000\"" \
	"ttl: 64 -> 63, checksum 66ce -> 67ce"
# Another header: 10.1.2.3 -> 192.168.0.9, ttl 2, protocol TCP, checksum f079.
run_json "ttl 2" "$OBJ" --prog xdp_ttl_dec --data "$ETH_IP4 450000280000400002060000 0a010203c0a80009 $(zeros 20)"
expect_contains "$out" "\"data_out\":\"${ETH_HDR}080045000028000040000106" "ttl: 2 -> 1"
csum=$(printf '%s\n' "$out" | sed -n 's/.*"data_out":"[0-9a-f]\{48\}\([0-9a-f]\{4\}\).*/\1/p')
# The header with its checksum must sum to 0xffff (RFC 1071).
hdr=$(printf '%s\n' "$out" | sed -n 's/.*"data_out":"[0-9a-f]\{28\}\([0-9a-f]\{40\}\).*/\1/p')
sum=0
for ((i = 0; i < 40; i += 4)); do sum=$((sum + 16#${hdr:i:4})); done
while [ $sum -gt 65535 ]; do sum=$(((sum & 0xffff) + (sum >> 16))); done
[ "$sum" -eq 65535 ] && echo "ok: ttl: checksum $csum verifies" || fail "ttl: header $hdr sums to $sum"
run_json "ttl 1" "$OBJ" --prog xdp_ttl_dec --data "$ETH_IP4 4500001c000100000111a5ce0a0000010a000002 9c40003500080000"
expect_contains "$out" '"retval":1' "ttl 1: XDP_DROP"
expect_contains "$out" "\"data_out\":\"${ETH_HDR}08004500001c000100000111a5ce" "ttl 1: packet untouched"

# ---- bpf_redirect: IPv4 to ifindex 7, the rest passes
run_json "redirect ipv4" "$HELPERS/redirect.bpf.o" --data "$UDP53"
expect_contains "$out" '"retval":4,' "redirect: XDP_REDIRECT"
expect_contains "$out" '"redirect_ifindex":7,' "redirect: to ifindex 7"
run_json "redirect arp" "$HELPERS/redirect.bpf.o" --data "$ARP"
expect_contains "$out" '"retval":2,' "redirect: ARP passes"
case "$out" in *redirect_ifindex*) fail "redirect: ARP was redirected";; *) echo "ok: redirect: ARP not redirected";; esac
run_json "redirect, unknown flag" "$HELPERS/redirect.bpf.o" --data "$UDP53" --set-map .rodata:00000000:07000000000000000100000000000000
expect_contains "$out" '"retval":0,' "redirect: unknown flags: XDP_ABORTED"

# ---- bpf_redirect_map: the IPv4 destination's last byte (2 in UDP53,
# 8 in TCP80) picks the devmap slot
RMAP=$HELPERS/redirect_map.bpf.o
run_json "redirect_map: empty devmap" "$RMAP" --prog xdp_redirect_port --data "$UDP53"
expect_contains "$out" '"retval":2,' "redirect_map: empty slot: the default action XDP_PASS"
case "$out" in *redirect_ifindex*) fail "redirect_map: redirected with an empty devmap";; *) echo "ok: redirect_map: no target with an empty devmap";; esac
run_json "redirect_map: slot 2" "$RMAP" --prog xdp_redirect_port --data "$UDP53" --set-map tx_ports:02000000:07000000
expect_contains "$out" '"retval":4,' "redirect_map: slot 2 filled: XDP_REDIRECT"
expect_contains "$out" '"redirect_ifindex":7,' "redirect_map: to the slot's ifindex 7"
run_json "redirect_map: other slot" "$RMAP" --prog xdp_redirect_port --data "$UDP53" --set-map tx_ports:03000000:07000000
expect_contains "$out" '"retval":2,' "redirect_map: slot 2 empty, slot 3 filled: XDP_PASS"
run_json "redirect_map: key past max_entries" "$RMAP" --prog xdp_redirect_port --data "$TCP80" --set-map tx_ports:07000000:05000000
expect_contains "$out" '"retval":2,' "redirect_map: key 8 of 8 entries: XDP_PASS"
run_json "redirect_map: arp" "$RMAP" --prog xdp_redirect_port --data "$ARP" --set-map tx_ports:02000000:07000000
expect_contains "$out" '"retval":2,' "redirect_map: ARP passes"
run_json "redirect_map hash: miss" "$RMAP" --prog xdp_redirect_host --data "$UDP53" --set-map tx_ports_by_host:03000000:0900000000000000
expect_contains "$out" '"retval":1,' "redirect_map hash: missing key: the default action XDP_DROP"
run_json "redirect_map hash: hit" "$RMAP" --prog xdp_redirect_host --data "$UDP53" --set-map tx_ports_by_host:02000000:09000000ffffffff --dump-maps
expect_contains "$out" '"retval":4,' "redirect_map hash: XDP_REDIRECT"
expect_contains "$out" '"redirect_ifindex":9,' "redirect_map hash: to ifindex 9"
expect_contains "$out" '"value":"0900000000000000"' "redirect_map hash: bpf_prog.fd -1 stored as program id 0"
expect_rc 1 "redirect_map: devmap program refused" "$UEBPF" test-run "$RMAP" --prog xdp_redirect_host --data "$UDP53" --set-map tx_ports_by_host:02000000:0900000005000000
expect_contains "$err" 'devmap programs' "redirect_map: a devmap program fd is refused with a reason"
finish
