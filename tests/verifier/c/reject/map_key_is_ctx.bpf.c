/* SPDX-License-Identifier: MIT */
/* Passes the context as the key (meant &ctx->ifindex copied to the stack).
 * expect: refuse
 * reason: not a pointer to memory
 * at: bpf_map_lookup_elem
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} by_if SEC(".maps");

SEC("tc")
int map_key_is_ctx(struct __sk_buff *skb)
{
	__u64 *v = bpf_map_lookup_elem(&by_if, skb);

	return v ? TC_ACT_SHOT : TC_ACT_OK;
}
