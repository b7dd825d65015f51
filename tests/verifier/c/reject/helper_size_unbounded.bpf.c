/* SPDX-License-Identifier: MIT */
/* A size taken straight from a syscall argument: unbounded.
 * expect: refuse
 * reason: unbounded
 * at: bpf_probe_read_kernel
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, char[256]);
} scratch SEC(".maps");

SEC("kprobe/vfs_write")
int helper_size_unbounded(struct pt_regs *ctx)
{
	__u32 zero = 0;
	char *buf = bpf_map_lookup_elem(&scratch, &zero);
	__u64 n = ctx->rdx >> 32; /* the high half of a flags word: 0 .. 4G */

	if (!buf)
		return 0;
	bpf_probe_read_kernel(buf, n, (void *)ctx->rsi);
	return 0;
}
