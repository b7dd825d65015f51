/* SPDX-License-Identifier: MIT */
/* The NULL check guards the wrong branch: the value is read exactly when the
 * lookup found nothing (the verifier knows the pointer is 0 there).
 * expect: refuse
 * reason: is a number, not a pointer
 * at: *(volatile __u64 *)v
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

SEC("xdp")
int map_null_check_wrong_branch(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
	__u64 *v = bpf_map_lookup_elem(&seen, &key);

	if (v) {
		__u64 one = 1;

		bpf_map_update_elem(&seen, &key, &one, BPF_ANY);
		return XDP_PASS;
	}
	return *(volatile __u64 *)v ? XDP_DROP : XDP_PASS;
}
