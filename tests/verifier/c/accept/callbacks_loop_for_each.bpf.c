/* SPDX-License-Identifier: MIT */
/* bpf_loop writing the caller's stack at the index, bpf_for_each_map_elem
 * reading key and value and updating the value.
 * expect: accept
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} sessions SEC(".maps");

struct fill_ctx {
	__u64 slots[16];
};

static long fill(__u32 index, void *data)
{
	struct fill_ctx *fc = data;

	fc->slots[index & 15] = index * 3;
	return index >= 12;
}

struct expire_ctx {
	__u64 cutoff;
	__u32 expired;
};

static long expire(void *map, __u32 *key, __u64 *last_seen, void *data)
{
	struct expire_ctx *ec = data;

	if (*last_seen < ec->cutoff && *key != 0) {
		*last_seen = 0;
		ec->expired++;
	}
	return 0;
}

SEC("tc")
int callbacks_loop_for_each(struct __sk_buff *skb)
{
	struct fill_ctx fc = {};
	struct expire_ctx ec = { .cutoff = skb->tstamp };

	bpf_loop(16, fill, &fc, 0);
	bpf_for_each_map_elem(&sessions, expire, &ec, 0);
	skb->mark = ec.expired;
	return fc.slots[5] > 7 ? TC_ACT_SHOT : TC_ACT_OK;
}
