// SPDX-License-Identifier: MIT
/* bpf_redirect: a one-port switch. IPv4 packets go to `egress_ifindex`
 * (.rodata), others stay on the normal path. bpf_redirect returns
 * XDP_REDIRECT, or XDP_ABORTED for flags it does not know. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 egress_ifindex = 7;
const volatile __u64 redirect_flags = 0;

SEC("xdp")
int xdp_redirect_ipv4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	return bpf_redirect(egress_ifindex, redirect_flags);
}

char LICENSE[] SEC("license") = "GPL";
