// SPDX-License-Identifier: MIT
/* XDP packet parser: walks Ethernet -> IPv4 -> UDP with the bounds checks the
 * verifier needs, counts packets per UDP destination port in a hash map and
 * totals per protocol in an array. Passes everything. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct proto_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u16);   /* UDP destination port, host order */
	__type(value, __u64); /* packets */
} udp_port_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);   /* IP protocol number */
	__type(value, struct proto_stats);
} proto_totals SEC(".maps");

static __always_inline int parse_udp(void *data, void *data_end, struct iphdr *ip)
{
	struct udphdr *udp = (void *)ip + ip->ihl * 4;
	__u16 port;
	__u64 one = 1, *count;

	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	port = bpf_ntohs(udp->dest);
	count = bpf_map_lookup_elem(&udp_port_counts, &port);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&udp_port_counts, &port, &one, BPF_NOEXIST);
	return XDP_PASS;
}

SEC("xdp")
int xdp_count_udp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct proto_stats *stats;
	__u32 proto;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_DROP;
	if (ip->ihl < 5)
		return XDP_DROP;

	proto = ip->protocol;
	stats = bpf_map_lookup_elem(&proto_totals, &proto);
	if (stats) {
		__sync_fetch_and_add(&stats->packets, 1);
		__sync_fetch_and_add(&stats->bytes, data_end - data);
	}
	if (ip->protocol == IPPROTO_UDP)
		return parse_udp(data, data_end, ip);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
