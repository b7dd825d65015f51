/* SPDX-License-Identifier: MIT */
/* Reads the Ethernet type without comparing the packet with data_end.
 * expect: refuse
 * reason: checked against data_end
 * at: eth->h_proto
 */
#include "common.h"

SEC("xdp")
int xdp_no_data_end_check(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;

	if (eth->h_proto == bpf_htons(ETH_P_IP))
		return XDP_DROP;
	return XDP_PASS;
}
