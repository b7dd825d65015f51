/* SPDX-License-Identifier: MIT */
/* bpf_ringbuf_output on a hash map (meant the ring buffer next to it).
 * expect: refuse
 * reason: cannot be used with map 'events'
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} events SEC(".maps");

SEC("xdp")
int map_ringbuf_output_on_hash(struct xdp_md *ctx)
{
	__u64 ev = ctx->ingress_ifindex;

	bpf_ringbuf_output(&events, &ev, sizeof(ev), 0);
	return XDP_PASS;
}
