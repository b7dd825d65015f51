/* SPDX-License-Identifier: MIT */
/* Indexes an array inside a map value with a number from the packet, unchecked.
 * expect: refuse
 * reason: unbounded
 * at: stats->by_proto[proto]
 */
#include "common.h"

struct proto_stats {
	__u64 by_proto[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct proto_stats);
} stats_map SEC(".maps");

SEC("tc")
int map_value_index_unbounded(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct proto_stats *stats = bpf_map_lookup_elem(&stats_map, &zero);
	__u64 proto = OPAQUE((__u64)skb->hash);

	if (!stats)
		return TC_ACT_OK;
	stats->by_proto[proto] += 1;
	return TC_ACT_OK;
}
