/* SPDX-License-Identifier: MIT */
/* Off by one: checks 13 bytes, then reads the 14-byte Ethernet header's type
 * (bytes 12..13).
 * expect: refuse
 * reason: only 13 bytes were checked against data_end
 * at: eth->h_proto
 */
#include "common.h"

SEC("xdp")
int xdp_off_by_one_check(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if (data + sizeof(*eth) - 1 > data_end)
		return XDP_DROP;
	if (eth->h_proto == bpf_htons(ETH_P_IP))
		return XDP_DROP;
	return XDP_PASS;
}
