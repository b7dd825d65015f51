# examples/helpers/strings.bpf.c: bpf_strncmp picks the command in a UDP
# payload, bpf_strtoul/bpf_strtol parse its number, bpf_snprintf formats the
# log line into a global.
. "$(dirname "$0")/common.sh"
need_example strings
OBJ=$HELPERS/strings.bpf.o
# Ethernet, IPv4 10.0.0.1 -> 10.0.0.2 (total length 44), UDP to 53 (length
# 24), then a 16-byte command.
UDP_CMD="$ETH_IP4 4500002c00010000401100000a0000010a000002 9c40003500180000"
cmd() { # the 16-byte payload for command $1
	local h
	h=$(ascii_hex "$1")
	printf '%s%s' "$h" "$(zeros $((16 - ${#h} / 2)))"
}

run_json "PORT 8080" "$OBJ" --data "$UDP_CMD $(cmd 'PORT 8080')" --dump-maps
expect_contains "$out" '"retval":2' "PORT: XDP_PASS"
expect_contains "$out" '.port = (__u64)8080,' "PORT: bpf_strtoul parsed 8080"
expect_contains "$out" '.last_parse = (__s64)4,' "PORT: bpf_strtoul consumed 4 characters"
expect_contains "$out" '.commands = (__u64)1,.rejected = (__u64)0,' "PORT: one command understood"
expect_contains "$out" "log_line = (char[64])['p','o','r','t',' ','8','0','8','0',' ','f','r','o','m',' ','a','0','0','0','0','0','1',]; log_len = (long)23" \
	"PORT: bpf_snprintf wrote 'port 8080 from a000001' and returned 23 (with the NUL)"

# base 0 takes the 0x prefix; the sign is bpf_strtol's
run_json "ADJ -0x10" "$OBJ" --data "$UDP_CMD $(cmd 'ADJ -0x10')" --dump-maps
expect_contains "$out" '.adjust = (__s64)-16,.last_parse = (__s64)5,' "ADJ: bpf_strtol parsed -0x10 in 5 characters"
expect_contains "$out" "log_line = (char[64])['a','d','j','u','s','t',' ','-','1','6',]; log_len = (long)11" \
	"ADJ: log line 'adjust -16'"
run_json "ADJ 7, 3 runs" "$OBJ" --data "$UDP_CMD $(cmd 'ADJ 7')" --repeat 3 --dump-maps
expect_contains "$out" '.adjust = (__s64)21,.last_parse = (__s64)1,.commands = (__u64)3,' "ADJ x3: adjustments summed"

run_json "PORT 99999" "$OBJ" --data "$UDP_CMD $(cmd 'PORT 99999')" --dump-maps
expect_contains "$out" '.port = (__u64)0,' "PORT 99999: out of range, not taken"
expect_contains "$out" '.last_parse = (__s64)5,.commands = (__u64)0,.rejected = (__u64)1,' "PORT 99999: rejected"
run_json "PORT x" "$OBJ" --data "$UDP_CMD $(cmd 'PORT x')" --dump-maps
expect_contains "$out" '.last_parse = (__s64)-22,' "PORT x: bpf_strtoul returns -EINVAL without digits"
expect_contains "$out" "log_len = (long)0" "PORT x: nothing formatted"
# The number fills the 12 bytes after "ADJ ": bpf_strtol stops at the buffer's end.
run_json "ADJ 999999999999" "$OBJ" --data "$UDP_CMD 41444a20393939393939393939393939" --dump-maps
expect_contains "$out" '.adjust = (__s64)999999999999,.last_parse = (__s64)12,' "ADJ: bpf_strtol reads up to the buffer's end"
run_json "unknown command" "$OBJ" --data "$UDP_CMD $(cmd 'PORTS')" --dump-maps
expect_contains "$out" '.commands = (__u64)0,.rejected = (__u64)1,' "'PORTS' (no space): bpf_strncmp says no command"
run_json "short packet" "$OBJ" --data "$UDP53" --dump-maps
expect_contains "$out" '"name":".bss","type":"array","key_size":4,"value_size":112,"max_entries":1,"flags":0,"entries":[],"zero_elements":1' \
	"no payload: nothing parsed, the globals stay zero"
finish
