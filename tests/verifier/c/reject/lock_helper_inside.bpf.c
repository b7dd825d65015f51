/* SPDX-License-Identifier: MIT */
/* Calls a helper while holding a spin lock.
 * expect: refuse
 * reason: while holding a spin lock
 * at: bpf_ktime_get_ns
 */
#include "common.h"

struct stamp {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 last;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct stamp);
} stamps SEC(".maps");

SEC("tc")
int lock_helper_inside(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct stamp *s = bpf_map_lookup_elem(&stamps, &zero);

	if (!s)
		return TC_ACT_OK;
	bpf_spin_lock(&s->lock);
	s->last = bpf_ktime_get_ns();
	bpf_spin_unlock(&s->lock);
	return TC_ACT_OK;
}
