/* SPDX-License-Identifier: MIT */
/* Lookup-or-insert with a fully initialised key and value.
 * expect: accept
 */
#include "common.h"

struct flow_key {
	__u32 addr;
	__u16 port;
	__u8 proto;
	__u8 pad;
};

struct flow_stats {
	__u64 bytes;
	__u64 packets;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct flow_key);
	__type(value, struct flow_stats);
} flows SEC(".maps");

SEC("tc")
int map_hash_update(struct __sk_buff *skb)
{
	struct flow_key key = {};
	struct flow_stats *st, init = {};

	key.addr = skb->mark;
	key.port = (__u16)skb->vlan_tci;
	key.proto = (__u8)skb->protocol;
	st = bpf_map_lookup_elem(&flows, &key);
	if (st) {
		__sync_fetch_and_add(&st->bytes, skb->len);
		__sync_fetch_and_add(&st->packets, 1);
		return TC_ACT_OK;
	}
	init.bytes = skb->len;
	init.packets = 1;
	bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
	return TC_ACT_OK;
}
