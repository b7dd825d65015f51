/* SPDX-License-Identifier: MIT */
/* Returns (the low half of) an address as the filter verdict.
 * strict: yes
 * expect: refuse
 * reason: leaks part of its address
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cfg SEC(".maps");

SEC("socket")
int strict_return_pointer(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *v = bpf_map_lookup_elem(&cfg, &zero);

	return v ? (int)(long)OPAQUE(v) : 0;
}
