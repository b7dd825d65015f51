/* SPDX-License-Identifier: MIT */
/* The inner map of a map-in-map lookup is used without checking it for NULL.
 * expect: refuse
 * reason: may be NULL
 */
#include "common.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps");

SEC("xdp")
int map_in_map_inner_unchecked(struct xdp_md *ctx)
{
	__u32 key = 0;
	void *inner = bpf_map_lookup_elem(&outer, &key);
	__u64 *v = bpf_map_lookup_elem(inner, &key);

	return v ? XDP_DROP : XDP_PASS;
}
