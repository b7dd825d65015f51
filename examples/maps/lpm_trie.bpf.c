// SPDX-License-Identifier: MIT
/* BPF_MAP_TYPE_LPM_TRIE: longest-prefix match of the IPv4 source address
 * against a route table the host fills. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

struct ipv4_lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 256);
	__type(key, struct ipv4_lpm_key);
	__type(value, __u32); /* action: XDP_* */
	__uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

SEC("xdp")
int lpm_lookup(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct ipv4_lpm_key key = { .prefixlen = 32 };
	__u32 *action;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	key.addr = ip->saddr;
	action = bpf_map_lookup_elem(&routes, &key);
	return action ? *action : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
