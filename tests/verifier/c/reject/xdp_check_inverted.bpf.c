/* SPDX-License-Identifier: MIT */
/* The bounds check is the wrong way round: the header is read exactly when
 * the packet is too short.
 * expect: refuse
 * reason: checked against data_end
 * at: eth->h_proto
 */
#include "common.h"

SEC("xdp")
int xdp_check_inverted(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) <= data_end)
		return XDP_PASS;
	return eth->h_proto == bpf_htons(ETH_P_ARP) ? XDP_DROP : XDP_PASS;
}
