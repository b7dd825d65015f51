// SPDX-License-Identifier: MIT
/* bpf_ringbuf_discard and bpf_ringbuf_query: every packet reserves an event,
 * fills it, and then commits it only for IPv4 (bpf_ringbuf_submit) and
 * throws it away otherwise (bpf_ringbuf_discard). The ring's state after each
 * packet (bpf_ringbuf_query) is kept in a global: a discarded record, like a
 * submitted one, holds its space until the consumer passes it. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct event {
	__u32 len;
	__u16 proto;
	__u16 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct ring_state {
	__u64 avail_data;
	__u64 ring_size;
	__u64 cons_pos;
	__u64 prod_pos;
	__u64 submitted;
	__u64 discarded;
	__u64 full;
};

struct ring_state ring = {};

SEC("xdp")
int xdp_ring_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		ring.full++;
		return XDP_PASS;
	}
	e->len = data_end - data;
	e->proto = 0;
	e->pad = 0;
	if ((void *)(eth + 1) <= data_end)
		e->proto = bpf_ntohs(eth->h_proto);
	if (e->proto == ETH_P_IP) {
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
		ring.submitted++;
	} else {
		bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
		ring.discarded++;
	}
	ring.avail_data = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
	ring.ring_size = bpf_ringbuf_query(&events, BPF_RB_RING_SIZE);
	ring.cons_pos = bpf_ringbuf_query(&events, BPF_RB_CONS_POS);
	ring.prod_pos = bpf_ringbuf_query(&events, BPF_RB_PROD_POS);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
