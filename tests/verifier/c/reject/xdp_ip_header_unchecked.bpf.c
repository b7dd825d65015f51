/* SPDX-License-Identifier: MIT */
/* Checks the Ethernet header, then reads the IPv4 header behind it unchecked.
 * expect: refuse
 * reason: checked against data_end
 * at: iph->protocol
 */
#include "common.h"

SEC("xdp")
int xdp_ip_header_unchecked(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	if (iph->protocol == IPPROTO_UDP)
		return XDP_DROP;
	return XDP_PASS;
}
