/* SPDX-License-Identifier: MIT */
/* bpf_tail_call needs a BPF_MAP_TYPE_PROG_ARRAY.
 * expect: refuse
 * reason: cannot be used with map 'handlers'
 * at: bpf_tail_call
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} handlers SEC(".maps");

SEC("xdp")
int helper_tail_call_on_hash(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &handlers, 1);
	return XDP_PASS;
}
