# examples/helpers/spin_lock.bpf.c (bpf_spin_lock/unlock around a map value
# update) and timer.bpf.c (bpf_timer_init/set_callback/start/cancel). Timers
# fire only at host ticks (uebpf_env_run_timers), which `uebpf test-run`
# does not give, so only the helpers' return values are checked here.
. "$(dirname "$0")/common.sh"
need_example spin_lock
need_example timer

# ---- spin lock: IPv4 in slot 0, everything else in slot 1
run_json "spin lock: udp, 3 runs" "$HELPERS/spin_lock.bpf.o" --data "$UDP53" --repeat 3 --dump-maps
expect_contains "$out" '"retval":2' "spin lock: XDP_PASS"
expect_contains "$out" '"entries":[{"key":"00000000","key_btf":"(__u32)0","value":"000000002a00000003000000000000007e00000000000000"' \
	"spin lock: slot 0 = lock 0 (released), largest 42, 3 packets, 126 bytes"
expect_contains "$out" '"zero_elements":1' "spin lock: slot 1 untouched"
run_json "spin lock: arp" "$HELPERS/spin_lock.bpf.o" --data "$ARP" --dump-maps
expect_contains "$out" '"key":"01000000","key_btf":"(__u32)1","value":"000000002a00000001000000000000002a00000000000000"' \
	"spin lock: ARP counted in slot 1"
# The interpreter and the JIT take the same lock.
for engine in interp jit; do
	run_json "spin lock: $engine" "$HELPERS/spin_lock.bpf.o" --data "$TCP80" --engine "$engine" --repeat 2 --dump-maps
	expect_contains "$out" '.lock = (struct bpf_spin_lock){.val = (__u32)0,},.largest = (__u32)54,.packets = (__u64)2,.bytes = (__u64)108,' \
		"spin lock ($engine): 2 packets of 54 bytes"
done
run_json "spin lock: checked run" "$HELPERS/spin_lock.bpf.o" --data "$TCP80" --checked --dump-maps
expect_contains "$out" '"checked":true' "spin lock: runs with runtime checks too"
expect_contains "$out" '.packets = (__u64)1,.bytes = (__u64)54,' "spin lock (checked): 1 packet"

# ---- timer: a packet above 60 bytes arms the timer, up to 60 cancels it
BIG="$UDP53 $(zeros 30)"
run_json "timer: first packet arms" "$HELPERS/timer.bpf.o" --data "$BIG" --dump-maps
expect_contains "$out" '"retval":2' "timer: XDP_PASS"
expect_contains "$out" '.init_ret = (__s32)0,.set_callback_ret = (__s32)0,.start_ret = (__s32)0,.cancel_ret = (__s32)0,.packets = (__u32)1,.expired = (__u32)0,}' \
	"timer: bpf_timer_init, set_callback and start return 0"
run_json "timer: 3 packets" "$HELPERS/timer.bpf.o" --data "$BIG" --repeat 3 --dump-maps
expect_contains "$out" '.init_ret = (__s32)-16,.set_callback_ret = (__s32)0,.start_ret = (__s32)0,' \
	"timer: bpf_timer_init of an initialised timer is -EBUSY, re-arming works"
expect_contains "$out" '.packets = (__u32)3,.expired = (__u32)0,' "timer: 60 s timeout, nothing expired"
run_json "timer: close before arming" "$HELPERS/timer.bpf.o" --data "$UDP53" --dump-maps
expect_contains "$out" '.init_ret = (__s32)0,.set_callback_ret = (__s32)0,.start_ret = (__s32)0,.cancel_ret = (__s32)0,' \
	"timer: bpf_timer_cancel of an idle timer returns 0"
finish
