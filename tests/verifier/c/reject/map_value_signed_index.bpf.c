/* SPDX-License-Identifier: MIT */
/* A signed index checked only against the upper bound may be negative: the
 * offset it gives is not bounded below.
 * expect: refuse
 * reason: unbounded
 * at: hist->buckets[slot]
 */
#include "common.h"

struct hist {
	__u64 buckets[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hist);
} hist_map SEC(".maps");

SEC("tc")
int map_value_signed_index(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct hist *hist = bpf_map_lookup_elem(&hist_map, &zero);
	int slot = OPAQUE((int)skb->len) - 1500;

	if (!hist || slot >= 16)
		return TC_ACT_OK;
	hist->buckets[slot] += 1;
	return TC_ACT_OK;
}
