/* SPDX-License-Identifier: MIT */
/* An early return inside the critical section keeps the spin lock.
 * expect: refuse
 * reason: holding the spin lock
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
int lock_not_released_on_path(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct counter *c = bpf_map_lookup_elem(&counters, &zero);

	if (!c)
		return TC_ACT_OK;
	bpf_spin_lock(&c->lock);
	if (c->value > 1000000)
		return TC_ACT_SHOT;
	c->value += skb->len;
	bpf_spin_unlock(&c->lock);
	return TC_ACT_OK;
}
