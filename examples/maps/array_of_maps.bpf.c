// SPDX-License-Identifier: MIT
/* BPF_MAP_TYPE_ARRAY_OF_MAPS: an outer map whose values are inner arrays; two inner
 * maps are installed statically with `values`, the inner definition gives
 * the shape every inner map must have. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct inner_array {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct inner_array array_of_maps_inner_a SEC(".maps"), array_of_maps_inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct inner_array);
} array_of_maps_outer SEC(".maps") = {
	.values = { [0] = &array_of_maps_inner_a, [3] = &array_of_maps_inner_b },
};

SEC("xdp")
int array_of_maps_lookup(struct xdp_md *ctx)
{
	__u32 outer_key = ctx->rx_queue_index & 3, inner_key = 1;
	void *inner = bpf_map_lookup_elem(&array_of_maps_outer, &outer_key);
	__u64 *v;

	if (!inner)
		return XDP_PASS;
	v = bpf_map_lookup_elem(inner, &inner_key);
	if (v)
		__sync_fetch_and_add(v, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
