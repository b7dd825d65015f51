/* SPDX-License-Identifier: MIT */
/* The key struct has padding that is never written; the helper reads all of it.
 * expect: refuse
 * reason: was never written
 * at: bpf_map_lookup_elem
 */
#include "common.h"

struct flow_key {
	__u32 addr;
	__u8 proto;
	/* 1 byte of padding */
	__u16 port;
	__u64 cookie_unused;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct flow_key);
	__type(value, __u64);
} flows SEC(".maps");

SEC("tc")
int map_key_padding_uninit(struct __sk_buff *skb)
{
	struct flow_key key;
	__u64 *v;

	key.addr = skb->mark;
	key.proto = (__u8)skb->protocol;
	key.port = (__u16)skb->vlan_tci;
	v = bpf_map_lookup_elem(&flows, &key);
	return v ? TC_ACT_SHOT : TC_ACT_OK;
}
