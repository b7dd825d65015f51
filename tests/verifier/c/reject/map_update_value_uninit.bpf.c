/* SPDX-License-Identifier: MIT */
/* Only half of the value is filled before it is copied into the map.
 * expect: refuse
 * reason: was never written
 * at: bpf_map_update_elem
 */
#include "common.h"

struct conn {
	__u64 bytes;
	__u64 packets;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct conn);
} conns SEC(".maps");

SEC("tc")
int map_update_value_uninit(struct __sk_buff *skb)
{
	__u32 key = skb->ifindex;
	struct conn c;

	c.bytes = skb->len;
	bpf_map_update_elem(&conns, &key, &c, BPF_ANY);
	return TC_ACT_OK;
}
