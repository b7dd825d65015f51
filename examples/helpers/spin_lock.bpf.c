// SPDX-License-Identifier: MIT
/* bpf_spin_lock: per-protocol packet and byte totals updated together under
 * the lock held in the map value, so a reader never sees one without the
 * other; the largest packet seen is kept the same way. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct locked_totals {
	struct bpf_spin_lock lock;
	__u32 largest;
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32); /* 0: IPv4, 1: anything else */
	__type(value, struct locked_totals);
} totals SEC(".maps");

SEC("xdp")
int xdp_locked_totals(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct locked_totals *t;
	__u32 len = data_end - data;
	__u32 key = 1;

	if ((void *)(eth + 1) <= data_end && eth->h_proto == bpf_htons(ETH_P_IP))
		key = 0;
	t = bpf_map_lookup_elem(&totals, &key);
	if (!t)
		return XDP_ABORTED;
	bpf_spin_lock(&t->lock);
	t->packets++;
	t->bytes += len;
	if (len > t->largest)
		t->largest = len;
	bpf_spin_unlock(&t->lock);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
