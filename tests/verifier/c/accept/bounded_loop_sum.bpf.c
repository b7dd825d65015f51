/* SPDX-License-Identifier: MIT */
/* A bounded loop over a map value, and one over packet bytes checked each round.
 * expect: accept
 */
#include "common.h"

struct slots {
	__u64 slots[8];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slots);
} slot_map SEC(".maps");

SEC("xdp")
int bounded_loop_sum(struct xdp_md *ctx)
{
	unsigned char *p = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 zero = 0;
	struct slots *v = bpf_map_lookup_elem(&slot_map, &zero);
	__u64 sum = 0;
	int zeros = 0;

	if (!v)
		return XDP_PASS;
	for (int i = 0; i < 8; i++)
		sum += v->slots[i];
	for (int i = 0; i < 16; i++) {
		if (p + i + 1 > (unsigned char *)data_end)
			break;
		zeros += p[i] == 0;
	}
	return sum + zeros > 100 ? XDP_DROP : XDP_PASS;
}
