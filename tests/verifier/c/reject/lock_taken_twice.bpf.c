/* SPDX-License-Identifier: MIT */
/* Takes a second spin lock while holding the first (deadlock-prone).
 * expect: refuse
 * reason: while holding a spin lock
 */
#include "common.h"

struct acct {
	struct bpf_spin_lock lock;
	__u32 balance;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct acct);
} accounts SEC(".maps");

SEC("tc")
int lock_taken_twice(struct __sk_buff *skb)
{
	__u32 k0 = 0, k1 = 1;
	struct acct *from = bpf_map_lookup_elem(&accounts, &k0);
	struct acct *to = bpf_map_lookup_elem(&accounts, &k1);

	if (!from || !to)
		return TC_ACT_OK;
	bpf_spin_lock(&from->lock);
	bpf_spin_lock(&to->lock);
	from->balance -= 1;
	to->balance += 1;
	bpf_spin_unlock(&to->lock);
	bpf_spin_unlock(&from->lock);
	return TC_ACT_OK;
}
