/* SPDX-License-Identifier: MIT */
/* A timer armed from tc whose callback updates its map value and re-arms.
 * expect: accept
 */
#include "common.h"

struct elem {
	struct bpf_timer timer;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct elem);
} timers SEC(".maps");

static int on_timer(void *map, __u32 *key, struct elem *e)
{
	e->fired += *key + 1;
	if (e->fired < 10)
		bpf_timer_start(&e->timer, 1000000, 0);
	return 0;
}

SEC("tc")
int timer_callback(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &zero);

	if (!e)
		return TC_ACT_OK;
	bpf_timer_init(&e->timer, &timers, 1 /* CLOCK_MONOTONIC */);
	bpf_timer_set_callback(&e->timer, on_timer);
	bpf_timer_start(&e->timer, 1000000, 0);
	return TC_ACT_OK;
}
