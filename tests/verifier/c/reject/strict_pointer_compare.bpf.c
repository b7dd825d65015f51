/* SPDX-License-Identifier: MIT */
/* Compares two map value addresses: their order leaks address bits.
 * strict: yes
 * expect: refuse
 * reason: strict
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} two SEC(".maps");

SEC("socket")
int strict_pointer_compare(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1;
	__u64 *a = bpf_map_lookup_elem(&two, &k0);
	__u64 *b = bpf_map_lookup_elem(&two, &k1);

	if (!a || !b)
		return 0;
	return OPAQUE(a) < OPAQUE(b) ? -1 : 0;
}
