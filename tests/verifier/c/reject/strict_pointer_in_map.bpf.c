/* SPDX-License-Identifier: MIT */
/* Stores a kernel address into a map that user space can read.
 * strict: yes
 * expect: refuse
 * reason: leaks an address
 * at: *slot = (__u64)(long)slot
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} last SEC(".maps");

SEC("socket")
int strict_pointer_in_map(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *slot = bpf_map_lookup_elem(&last, &zero);

	if (slot)
		*slot = (__u64)(long)slot;
	return 0;
}
