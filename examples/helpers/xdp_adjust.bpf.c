// SPDX-License-Identifier: MIT
/* XDP packet helpers:
 *  xdp_ipip_decap  strips the outer IPv4 header of an IP-in-IP packet
 *                  (bpf_xdp_adjust_head with a positive delta);
 *  xdp_vlan_push   inserts an 802.1Q tag with VLAN `push_vlan_id`
 *                  (bpf_xdp_adjust_head with a negative delta);
 *  xdp_snap        cuts packets to `snap_len` bytes (bpf_xdp_adjust_tail);
 *  xdp_mark_meta   puts a 4-byte mark in front of the packet for the next
 *                  layer (bpf_xdp_adjust_meta);
 *  xdp_ttl_dec     decrements the IPv4 TTL and recomputes the header
 *                  checksum (bpf_csum_diff over the header), dropping
 *                  packets whose TTL runs out. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef ETH_P_8021Q
#define ETH_P_8021Q 0x8100
#endif

const volatile __u16 push_vlan_id = 100;
const volatile __u32 snap_len = 64;
const volatile __u32 meta_mark = 0xfeedf00d;

struct vlan_tag {
	__be16 tci;
	__be16 inner_proto;
};

SEC("xdp")
int xdp_ipip_decap(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *outer = (void *)(eth + 1);
	struct ethhdr saved;

	if ((void *)(outer + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || outer->protocol != IPPROTO_IPIP ||
	    outer->ihl != 5)
		return XDP_PASS;
	/* The Ethernet header moves forward over the outer IP header. */
	__builtin_memcpy(&saved, eth, sizeof(saved));
	if (bpf_xdp_adjust_head(ctx, sizeof(struct iphdr)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(eth, &saved, sizeof(saved));
	return XDP_PASS;
}

SEC("xdp")
int xdp_vlan_push(struct xdp_md *ctx)
{
	void *data, *data_end;
	struct ethhdr *eth, saved;
	struct vlan_tag *tag;

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	if (eth->h_proto == bpf_htons(ETH_P_8021Q))
		return XDP_PASS; /* already tagged */
	__builtin_memcpy(&saved, eth, sizeof(saved));
	if (bpf_xdp_adjust_head(ctx, -(int)sizeof(struct vlan_tag)))
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	eth = data;
	tag = (void *)(eth + 1);
	if ((void *)(tag + 1) > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(eth->h_dest, saved.h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_source, saved.h_source, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_8021Q);
	tag->tci = bpf_htons(push_vlan_id & 0xfff);
	tag->inner_proto = saved.h_proto;
	return XDP_PASS;
}

SEC("xdp")
int xdp_snap(struct xdp_md *ctx)
{
	int len = ctx->data_end - ctx->data;

	if (len <= (int)snap_len)
		return XDP_PASS;
	if (bpf_xdp_adjust_tail(ctx, (int)snap_len - len))
		return XDP_ABORTED;
	return XDP_PASS;
}

SEC("xdp")
int xdp_mark_meta(struct xdp_md *ctx)
{
	void *data, *meta;
	__u32 *mark;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*mark)))
		return XDP_PASS; /* no room for metadata: pass unmarked */
	data = (void *)(long)ctx->data;
	meta = (void *)(long)ctx->data_meta;
	mark = meta;
	if ((void *)(mark + 1) > data)
		return XDP_ABORTED;
	*mark = meta_mark;
	return XDP_PASS;
}

static __always_inline __u16 csum_fold(__s64 sum)
{
	__u32 s = (__u32)sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

SEC("xdp")
int xdp_ttl_dec(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__s64 sum;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return XDP_PASS;
	if (ip->ttl <= 1)
		return XDP_DROP;
	ip->ttl--;
	ip->check = 0;
	sum = bpf_csum_diff(0, 0, (__be32 *)ip, sizeof(*ip), 0);
	if (sum < 0)
		return XDP_ABORTED;
	ip->check = csum_fold(sum);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
