/* SPDX-License-Identifier: MIT */
/* bpf_xdp_adjust_head moves the packet: pointers taken before it are stale.
 * expect: refuse
 * reason: not a pointer
 * at: eth->h_proto
 */
#include "common.h"

SEC("xdp")
int xdp_ptr_after_adjust_head(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (bpf_xdp_adjust_head(ctx, -4))
		return XDP_DROP;
	return eth->h_proto == bpf_htons(ETH_P_IP) ? XDP_PASS : XDP_DROP;
}
