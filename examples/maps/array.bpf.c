// SPDX-License-Identifier: MIT
/* BPF_MAP_TYPE_ARRAY: count packets and bytes per key, inserting on a miss. */
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
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct counters);
} array_map SEC(".maps");

SEC("xdp")
int array_count(struct xdp_md *ctx)
{
	__u32 key = ctx->ingress_ifindex & 7;
	struct counters *c = bpf_map_lookup_elem(&array_map, &key);

	if (c) {
		c->packets++;
		c->bytes += ctx->data_end - ctx->data;
	} else {
		struct counters init = { 1, ctx->data_end - ctx->data };

		bpf_map_update_elem(&array_map, &key, &init, BPF_NOEXIST);
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
