/* SPDX-License-Identifier: MIT */
/* bpf_for_each_map_elem hands the callback a read-only key.
 * expect: refuse
 * reason: the map key is read-only
 * at: *key = 0
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} sessions SEC(".maps");

static long expire(void *map, __u32 *key, __u64 *last_seen, void *data)
{
	if (*last_seen < *(__u64 *)data)
		*key = 0;
	return 0;
}

SEC("tc")
int cb_for_each_writes_key(struct __sk_buff *skb)
{
	__u64 cutoff = skb->tstamp;

	bpf_for_each_map_elem(&sessions, expire, &cutoff, 0);
	return TC_ACT_OK;
}
