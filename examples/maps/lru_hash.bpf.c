// SPDX-License-Identifier: MIT
/* BPF_MAP_TYPE_LRU_HASH: count packets and bytes per key, inserting on a miss. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow_key {
	__u32 ifindex;
	__u32 queue;
};

struct counters {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, struct flow_key);
	__type(value, struct counters);
} lru_hash_map SEC(".maps");

SEC("xdp")
int lru_hash_count(struct xdp_md *ctx)
{
	struct flow_key key = { .ifindex = ctx->ingress_ifindex, .queue = ctx->rx_queue_index };
	struct counters *c = bpf_map_lookup_elem(&lru_hash_map, &key);

	if (c) {
		c->packets++;
		c->bytes += ctx->data_end - ctx->data;
	} else {
		struct counters init = { 1, ctx->data_end - ctx->data };

		bpf_map_update_elem(&lru_hash_map, &key, &init, BPF_NOEXIST);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
