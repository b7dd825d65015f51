/* SPDX-License-Identifier: MIT */
/* `i <= 4` walks one element past the 4-element array in the map value.
 * expect: refuse
 * reason: of the map value, which has 32 bytes
 * at: sum += v->slots[i]
 */
#include "common.h"

struct slots {
	__u64 slots[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct slots);
} slot_map SEC(".maps");

SEC("xdp")
int map_value_loop_off_by_one(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct slots *v = bpf_map_lookup_elem(&slot_map, &zero);
	__u64 sum = 0;

	if (!v)
		return XDP_PASS;
	for (int i = 0; i <= OPAQUE(4); i++)
		sum += v->slots[i];
	return sum ? XDP_PASS : XDP_DROP;
}
