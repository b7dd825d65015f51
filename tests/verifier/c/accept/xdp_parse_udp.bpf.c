/* SPDX-License-Identifier: MIT */
/* Ethernet / IPv4 (variable header length) / UDP, every header checked.
 * expect: accept
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} dns_packets SEC(".maps");

SEC("xdp")
int xdp_parse_udp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;
	struct udphdr *udp;
	__u32 zero = 0;
	__u64 *count;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->protocol != IPPROTO_UDP || iph->ihl < 5)
		return XDP_PASS;
	udp = (void *)iph + iph->ihl * 4;
	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	if (udp->dest == bpf_htons(53)) {
		count = bpf_map_lookup_elem(&dns_packets, &zero);
		if (count)
			*count += 1;
	}
	return XDP_PASS;
}
