# examples/helpers/ringbuf_query.bpf.c (bpf_ringbuf_reserve + submit or
# bpf_ringbuf_discard, bpf_ringbuf_query) and func_ip.bpf.c
# (bpf_get_func_ip, bpf_get_attach_cookie in kprobe/uprobe programs).
. "$(dirname "$0")/common.sh"
need_example ringbuf_query
need_example func_ip
RB=$HELPERS/ringbuf_query.bpf.o

# ---- ring buffer: 8-byte events take 16 bytes with their header
run_json "ringbuf: 2 ipv4 packets" "$RB" --data "$UDP53" --repeat 2 --dump-maps
expect_contains "$out" '"retval":2' "ringbuf: XDP_PASS"
expect_contains "$out" 'ring = (struct ring_state){.avail_data = (__u64)32,.ring_size = (__u64)4096,.cons_pos = (__u64)0,.prod_pos = (__u64)32,.submitted = (__u64)2,.discarded = (__u64)0,.full = (__u64)0,}' \
	"ringbuf: 2 submitted, 32 bytes available, ring size 4096"
run_json "ringbuf: 3 arp packets" "$RB" --data "$ARP" --repeat 3 --dump-maps
expect_contains "$out" '.avail_data = (__u64)48,.ring_size = (__u64)4096,.cons_pos = (__u64)0,.prod_pos = (__u64)48,.submitted = (__u64)0,.discarded = (__u64)3,' \
	"ringbuf: 3 discarded, their 48 bytes still held until consumed"
# As in the kernel the producer stays less than the ring's size ahead of
# the consumer: 255 records of 16 bytes fit in 4096, the rest fail.
run_json "ringbuf: 300 packets" "$RB" --data "$UDP53" --repeat 300 --dump-maps
expect_contains "$out" '.avail_data = (__u64)4080,.ring_size = (__u64)4096,.cons_pos = (__u64)0,.prod_pos = (__u64)4080,.submitted = (__u64)255,.discarded = (__u64)0,.full = (__u64)45,}' \
	"ringbuf: full after 255 records, 45 reservations refused"
expect_rc 0 "ringbuf: text dump" "$UEBPF" test-run "$RB" --data "$ARP" --dump-maps
expect_contains "$out" "16 bytes not consumed yet" "ringbuf: a discarded record is not consumed yet either"

# ---- kprobe/uprobe: test runs give no function address and no cookie (0);
# rdi is at byte 112 of struct pt_regs.
regs="$(zeros 112) 2000000000000000 $(zeros 56)"
for prog in kprobe_sleep uprobe_malloc; do
	run_json "$prog" "$HELPERS/func_ip.bpf.o" --prog "$prog" --data "$regs" --repeat 2 --dump-maps
	expect_contains "$out" '"type":"kprobe"' "$prog: a kprobe program"
	expect_contains "$out" '"retval":0' "$prog: returns 0"
	expect_contains "$out" '"entries":[{"key":"00000000000000000000000000000000","key_btf":"(struct call_site){.func_ip = (__u64)0,.cookie = (__u64)0,}","value":"02000000000000004000000000000000"' \
		"$prog: func_ip 0, cookie 0: 2 calls, arguments 0x20 + 0x20"
done
finish
