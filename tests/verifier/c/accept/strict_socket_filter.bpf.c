/* SPDX-License-Identifier: MIT */
/* An unprivileged socket filter: skb_load_bytes, a map counter, no loops,
 * no pointer leaks.
 * strict: yes
 * expect: accept
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} by_proto SEC(".maps");

SEC("socket")
int strict_socket_filter(struct __sk_buff *skb)
{
	__u8 proto;
	__u32 key;
	__u64 *count;

	if (bpf_skb_load_bytes(skb, ETH_HLEN + 9, &proto, 1))
		return 0;
	key = proto;
	count = bpf_map_lookup_elem(&by_proto, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	return proto == IPPROTO_UDP ? -1 : 0;
}
