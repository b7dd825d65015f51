// SPDX-License-Identifier: MIT
/* Parses a batch of up to 32 packets (Ethernet -> IPv4 -> UDP) that the
 * host puts one after the other in the input, each preceded by its length
 * (16 bits, host order), and sums what it finds: the header walk of a
 * typical XDP program, with the packet checks the kernel's verifier wants. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define BATCH_MAX 32
/* Bounds the verifier can follow: packets of at most 2 KiB, a batch of at
 * most 16 KiB. */
#define RECORD_LEN_MASK 0x7ff
#define BATCH_OFF_MASK 0x3fff

SEC("xdp")
int parse_udp_batch(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 off = 0, ipv4 = 0, udp = 0, other = 0, port_sum = 0, payload = 0;

	for (int i = 0; i < BATCH_MAX; i++) {
		__u16 *len_p = data + off;
		struct ethhdr *eth = (void *)(len_p + 1);
		struct iphdr *ip = (void *)(eth + 1);
		struct udphdr *uh;
		__u32 len, ihl;

		if ((void *)(len_p + 1) > data_end)
			break;
		len = *len_p & RECORD_LEN_MASK;
		if (len == 0)
			break;
		off = (off + sizeof(*len_p) + len) & BATCH_OFF_MASK;

		if ((void *)(ip + 1) > data_end)
			break;
		if (len < sizeof(*eth) + sizeof(*ip) || eth->h_proto != bpf_htons(ETH_P_IP)) {
			other++;
			continue;
		}
		ihl = ip->ihl * 4;
		if (ip->version != 4 || ihl < sizeof(*ip) ||
		    sizeof(*eth) + ihl + sizeof(*uh) > len) {
			other++;
			continue;
		}
		ipv4++;
		if (ip->protocol != IPPROTO_UDP)
			continue;
		uh = (void *)ip + ihl;
		if ((void *)(uh + 1) > data_end)
			break;
		udp++;
		port_sum += bpf_ntohs(uh->dest);
		payload += bpf_ntohs(uh->len) - sizeof(*uh);
	}
	return (udp << 24) ^ (ipv4 << 16) ^ (other << 8) ^ port_sum ^ (payload << 4);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
