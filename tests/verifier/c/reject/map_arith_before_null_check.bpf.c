/* SPDX-License-Identifier: MIT */
/* Takes the address of a field before checking the lookup for NULL.
 * expect: refuse
 * reason: null
 */
#include "common.h"

struct pair {
	__u64 a, b;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct pair);
} pairs SEC(".maps");

SEC("xdp")
int map_arith_before_null_check(struct xdp_md *ctx)
{
	__u32 key = 1;
	struct pair *p = bpf_map_lookup_elem(&pairs, &key);
	__u64 *b = OPAQUE(&p->b);

	if (!p)
		return XDP_PASS;
	return *b ? XDP_DROP : XDP_PASS;
}
