/* SPDX-License-Identifier: MIT */
/* The callback context must live on the stack (or be NULL), not in a map value.
 * expect: refuse
 * reason: must be a stack pointer or NULL
 * at: bpf_loop
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} totals SEC(".maps");

static long add_one(__u32 index, void *data)
{
	*(__u64 *)data += 1;
	return 0;
}

SEC("xdp")
int cb_loop_ctx_map_value(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *total = bpf_map_lookup_elem(&totals, &zero);

	if (!total)
		return XDP_PASS;
	bpf_loop(8, add_one, total, 0);
	return XDP_PASS;
}
