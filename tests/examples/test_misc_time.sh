# examples/helpers/misc_time.bpf.c: bpf_get_prandom_u32 decides the sample,
# bpf_get_smp_processor_id / bpf_get_numa_node_id say where it ran, the
# clocks (coarse, monotonic, boot, jiffies64) must agree with each other.
. "$(dirname "$0")/common.sh"
need_example misc_time
OBJ=$HELPERS/misc_time.bpf.o
ncpu=$(getconf _NPROCESSORS_CONF)

run_json "sample every packet" "$OBJ" --data "$UDP53" --repeat 3 --dump-maps
expect_contains "$out" '"retval":2' "XDP_PASS"
expect_contains "$out" 'seen = (__u64)3; sampled = (__u64)3' "sample_every 1: 3 of 3 packets sampled"
# clock_checks 15: coarse <= monotonic, boot >= monotonic, jiffies64 != 0,
# monotonic does not go back.
expect_contains "$out" '.clock_checks = (__u32)15,.len = (__u32)42,}' "all four clock relations hold, length 42"
cpu=$(printf '%s\n' "$out" | sed -n 's/.*(struct sample){\.cpu = (__u32)\([0-9]*\),.*/\1/p')
if [ -n "$cpu" ] && [ "$cpu" -lt "$ncpu" ]; then
	echo "ok: bpf_get_smp_processor_id gave CPU $cpu of $ncpu"
else
	fail "bpf_get_smp_processor_id gave '$cpu' (CPUs: $ncpu)"
fi
expect_contains "$out" '.numa_node = (__u32)0,' "bpf_get_numa_node_id: node 0 (one node)"

# Pinned to CPU 0 the sample says CPU 0.
if command -v taskset >/dev/null && taskset -c 0 true 2>/dev/null; then
	expect_rc 0 "pinned to CPU 0" taskset -c 0 "$UEBPF" test-run "$OBJ" --data "$UDP53" --dump-maps --json
	expect_contains "$out" '(struct sample){.cpu = (__u32)0,' "taskset -c 0: CPU 0"
fi

# 1 in 2^32 - 1 (a .rodata setting): 20 packets, and the draws differ, so
# hardly any is sampled; 0 turns sampling off.
run_json "sample 1 in 4294967295" "$OBJ" --data "$UDP53" --repeat 20 --dump-maps --set-map .rodata:00000000:ffffffff
expect_match "$out" 'seen = \(__u64\)20; sampled = \(__u64\)[01]"' "1 in 2^32-1: at most one of 20 sampled"
run_json "sampling off" "$OBJ" --data "$UDP53" --repeat 5 --dump-maps --set-map .rodata:00000000:00000000
expect_contains "$out" '"name":"last_sample","type":"array","key_size":4,"value_size":16,"max_entries":1,"flags":0,"entries":[],"zero_elements":1' \
	"sample_every 0: no sample written"
expect_contains "$out" 'seen = (__u64)5; sampled = (__u64)0' "sample_every 0: 5 seen, none sampled"
finish
