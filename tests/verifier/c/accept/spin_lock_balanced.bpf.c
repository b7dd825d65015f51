/* SPDX-License-Identifier: MIT */
/* A critical section released on every path.
 * expect: accept
 */
#include "common.h"

struct counter {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 value;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

SEC("tc")
int spin_lock_balanced(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct counter *c = bpf_map_lookup_elem(&counters, &zero);
	int verdict = TC_ACT_OK;

	if (!c)
		return TC_ACT_OK;
	bpf_spin_lock(&c->lock);
	if (c->value > 1000000)
		verdict = TC_ACT_SHOT;
	else
		c->value += skb->len;
	bpf_spin_unlock(&c->lock);
	return verdict;
}
