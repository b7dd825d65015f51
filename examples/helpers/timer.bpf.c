// SPDX-License-Identifier: MIT
/* Timers: an idle timeout per flow slot. The first packet initialises the
 * slot's timer (bpf_timer_init) and its callback (bpf_timer_set_callback);
 * every packet re-arms it for `idle_timeout_ns` (bpf_timer_start). A packet
 * of 60 bytes or less is a "close" and cancels it (bpf_timer_cancel). The
 * callback, run when the timeout passes, marks the slot expired. Every
 * helper's last return value is kept in the slot. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_MONOTONIC 1

const volatile __u64 idle_timeout_ns = 60ull * 1000 * 1000 * 1000;

struct flow_slot {
	struct bpf_timer timer;
	__s32 init_ret;
	__s32 set_callback_ret;
	__s32 start_ret;
	__s32 cancel_ret;
	__u32 packets;
	__u32 expired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct flow_slot);
} flows SEC(".maps");

static int flow_expired(void *map, __u32 *key, struct flow_slot *slot)
{
	slot->expired++;
	return 0;
}

SEC("xdp")
int xdp_idle_timer(struct xdp_md *ctx)
{
	struct flow_slot *slot;
	__u32 key = 0;

	slot = bpf_map_lookup_elem(&flows, &key);
	if (!slot)
		return XDP_ABORTED;
	slot->packets++;
	slot->init_ret = bpf_timer_init(&slot->timer, &flows, CLOCK_MONOTONIC);
	slot->set_callback_ret = bpf_timer_set_callback(&slot->timer, flow_expired);
	if (ctx->data_end - ctx->data <= 60) {
		slot->cancel_ret = bpf_timer_cancel(&slot->timer);
		return XDP_PASS;
	}
	slot->start_ret = bpf_timer_start(&slot->timer, idle_timeout_ns, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
