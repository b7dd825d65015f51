/* SPDX-License-Identifier: MIT */
/* Map value arrays indexed after a bound check, and by masking.
 * expect: accept
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
int map_bounded_index(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct hist *h = bpf_map_lookup_elem(&hist_map, &zero);
	__u32 slot = skb->len / 128;

	if (!h)
		return TC_ACT_OK;
	if (slot < 16)
		__sync_fetch_and_add(&h->buckets[slot], 1);
	h->buckets[skb->hash & 15] += 1;
	return TC_ACT_OK;
}
