# examples/helpers/task.bpf.c (bpf_get_current_pid_tgid, _uid_gid, _comm in
# a tracepoint program) and probe.bpf.c (bpf_probe_read_kernel/_user and
# their _str forms over the tracepoint record the program was given).
. "$(dirname "$0")/common.sh"
need_example task
need_example probe

# ---- task: the calling thread is the uebpf tool itself
run_json "task: tracepoint run" "$HELPERS/task.bpf.o" --data "00" --dump-maps
expect_contains "$out" '"type":"tracepoint"' "task: runs as a tracepoint program"
expect_contains "$out" '"retval":0' "task: returns 0"
uid=$(id -u)
gid=$(id -g)
expect_contains "$out" ".uid = (__u32)$uid,.gid = (__u32)$gid,.comm = (char[16])['u','e','b','p','f',]" \
	"task: uid $uid, gid $gid, comm 'uebpf'"
# One process, one thread: tgid == pid, and the key is the thread id.
if printf '%s\n' "$out" | grep -Eq '"key_btf":"\(__u32\)([0-9]+)","value":"[0-9a-f]*","value_btf":"\(struct opener\)\{\.tgid = \(__u32\)\1,\.pid = \(__u32\)\1,'; then
	echo "ok: task: tgid = pid = map key"
else
	fail "task: tgid/pid/key disagree"
fi
expect_contains "$out" 'watched_opens = (__u64)1' "task: bpf_strncmp matched the watched comm"
# Another watched name: not counted.
run_json "task: other watched comm" "$HELPERS/task.bpf.o" --data "00" --dump-maps --set-map .rodata:00000000:73736864000000000000000000000000
expect_contains "$out" '"name":".bss","type":"array","key_size":4,"value_size":8,"max_entries":1,"flags":0,"entries":[],"zero_elements":1' \
	"task: comm 'sshd' watched: uebpf not counted"

# ---- probe: record = u64 header, s32 dfd, u32 flags, char name[32], pointer
name=$(ascii_hex /etc/hosts)
name="$name$(zeros $((32 - ${#name} / 2)))"
REC="0102030405060708 9cffffff 00000800 $name"
run_json "probe: bad user pointer" "$HELPERS/probe.bpf.o" --data "$REC 0010000000000000" --dump-maps
expect_contains "$out" '"retval":1' "probe: returns 1 (inline name read)"
expect_contains "$out" '.header_ret = (__s64)0,.inline_ret = (__s64)11,' \
	"probe: bpf_probe_read_kernel 0, bpf_probe_read_kernel_str 11 (10 + NUL)"
expect_contains "$out" '.user_str_ret = (__s64)-14,.user_ret = (__s64)-14,' \
	"probe: the pointer 0x1000 is nothing the program was given: -EFAULT twice"
expect_contains "$out" '.common = (__u64)578437695752307201,.dfd = (__s32)-100,.flags = (__u32)524288,' \
	"probe: header copied (0x0807060504030201, AT_FDCWD, O_CLOEXEC)"
expect_contains "$out" ".inline_name = (char[32])['/','e','t','c','/','h','o','s','t','s',],.user_name = (char[32])[],.user_head = (__u64)0,}" \
	"probe: inline name copied; faulting reads zeroed their destinations"
# A name that fills the buffer: the _str form stops at 31 bytes plus the NUL.
long=$(ascii_hex "/usr/lib/x86_64-linux-gnu/libbpf.so")
long=${long:0:64}
run_json "probe: 32-byte name" "$HELPERS/probe.bpf.o" --data "0102030405060708 9cffffff 00000800 $long 0000000000000000" --dump-maps
expect_contains "$out" '.inline_ret = (__s64)32,' "probe: bpf_probe_read_kernel_str returns 32 for a full buffer"
expect_contains "$out" "'/','u','s','r','/','l','i','b','/','x','8','6','_','6','4','-','l','i','n','u','x','-','g','n','u','/','l','i','b','b','p',]" \
	"probe: 31 bytes and the NUL"
expect_contains "$out" '.user_str_ret = (__s64)-14,.user_ret = (__s64)-14,' "probe: NULL pointer: -EFAULT"
finish
