// SPDX-License-Identifier: MIT
/* BPF_MAP_TYPE_PROG_ARRAY + bpf_tail_call: a dispatcher jumps to a handler
 * per IP protocol; the table is initialised statically with `values`. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

int handle_tcp(struct xdp_md *ctx);
int handle_udp(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 256);
	__uint(key_size, sizeof(__u32));
	__array(values, int (void *));
} dispatch SEC(".maps") = {
	.values = {
		[IPPROTO_TCP] = (void *)&handle_tcp,
		[IPPROTO_UDP] = (void *)&handle_udp,
	},
};

SEC("xdp")
int handle_tcp(struct xdp_md *ctx)
{
	return XDP_TX;
}

SEC("xdp")
int handle_udp(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int dispatcher(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	bpf_tail_call(ctx, &dispatch, ip->protocol);
	return XDP_PASS; /* no handler */
}

char LICENSE[] SEC("license") = "GPL";
