/* SPDX-License-Identifier: MIT */
/* Inside the callback the lookup result is used without a NULL check.
 * expect: refuse
 * reason: may be NULL
 * at: *v += 1
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} buckets SEC(".maps");

static long bump(__u32 index, void *data)
{
	__u64 *v = bpf_map_lookup_elem(&buckets, &index);

	*v += 1;
	return 0;
}

SEC("xdp")
int cb_loop_unchecked_lookup(struct xdp_md *ctx)
{
	bpf_loop(16, bump, NULL, 0);
	return XDP_PASS;
}
