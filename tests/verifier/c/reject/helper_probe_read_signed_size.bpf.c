/* SPDX-License-Identifier: MIT */
/* The classic signed-size bug: `len > sizeof(buf)` does not stop a negative len.
 * expect: refuse
 * reason: may be negative
 * at: bpf_probe_read_user
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} out SEC(".maps");

SEC("kprobe/do_sys_openat2")
int helper_probe_read_signed_size(struct pt_regs *ctx)
{
	char buf[64];
	int len = (int)ctx->rdx;
	__u32 zero = 0;

	if (len > (int)sizeof(buf))
		return 0;
	bpf_probe_read_user(buf, len, (void *)ctx->rsi);
	bpf_map_update_elem(&out, &zero, buf, BPF_ANY);
	return 0;
}
