// SPDX-License-Identifier: MIT
/* Socket filters: one keeps only UDP over IPv4 using the legacy packet loads
 * (ld_abs), the other uses bpf_skb_load_bytes and truncates what it keeps. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

unsigned long long load_byte(void *skb, unsigned long long off) asm("llvm.bpf.load.byte");
unsigned long long load_half(void *skb, unsigned long long off) asm("llvm.bpf.load.half");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} kept SEC(".maps");

SEC("socket")
int socket_keep_udp(struct __sk_buff *skb)
{
	__u32 zero = 0;
	__u64 *n;

	if (load_half(skb, offsetof(struct ethhdr, h_proto)) != ETH_P_IP)
		return 0;
	if (load_byte(skb, ETH_HLEN + offsetof(struct iphdr, protocol)) != IPPROTO_UDP)
		return 0;
	n = bpf_map_lookup_elem(&kept, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
	return skb->len;
}

SEC("socket")
int socket_trim_headers(struct __sk_buff *skb)
{
	__u8 ver_ihl;

	if (bpf_skb_load_bytes(skb, ETH_HLEN, &ver_ihl, 1) < 0)
		return 0;
	if ((ver_ihl >> 4) != 4)
		return 0;
	return ETH_HLEN + (ver_ihl & 0xf) * 4 + 8; /* headers only */
}

char LICENSE[] SEC("license") = "GPL";
