// SPDX-License-Identifier: MIT
/* bpf_redirect_map: a port table. The last byte of an IPv4 destination
 * address picks the devmap slot; a slot holding an ifindex redirects the
 * packet there (XDP_REDIRECT), an empty or missing slot gives the default
 * action in the low bits of the flags. Non-IPv4 packets pass.
 *
 * tx_ports is a devmap (value: the ifindex); tx_ports_by_host a
 * devmap_hash (value: struct bpf_devmap_val, ifindex and program) whose
 * misses drop the packet. Programs cannot change devmaps: the host fills
 * them (uebpf test-run --set-map, uebpf map update, bpftool). */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_ports_by_host SEC(".maps");

/* The last byte of the IPv4 destination, or -1 for other packets. */
static __always_inline long ipv4_dst_host(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return -1;
	return bpf_ntohl(ip->daddr) & 0xff;
}

SEC("xdp")
int xdp_redirect_port(struct xdp_md *ctx)
{
	long host = ipv4_dst_host(ctx);

	if (host < 0)
		return XDP_PASS;
	return bpf_redirect_map(&tx_ports, (__u32)host, XDP_PASS);
}

SEC("xdp")
int xdp_redirect_host(struct xdp_md *ctx)
{
	long host = ipv4_dst_host(ctx);

	if (host < 0)
		return XDP_PASS;
	return bpf_redirect_map(&tx_ports_by_host, (__u32)host, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
