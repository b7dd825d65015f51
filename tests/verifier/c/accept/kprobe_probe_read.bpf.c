/* SPDX-License-Identifier: MIT */
/* Reads a user string through bpf_probe_read_user_str with a bounded size.
 * expect: accept
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[256]);
} paths SEC(".maps");

SEC("kprobe/do_sys_openat2")
int kprobe_probe_read(struct pt_regs *ctx)
{
	__u32 zero = 0;
	char *buf = bpf_map_lookup_elem(&paths, &zero);
	__u32 len = (__u32)ctx->rdx;

	if (!buf)
		return 0;
	bpf_probe_read_user_str(buf, 256, (const void *)ctx->rsi);
	if (len > 0 && len <= 256)
		bpf_probe_read_user(buf, len, (const void *)ctx->rsi);
	return 0;
}
