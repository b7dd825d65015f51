// SPDX-License-Identifier: MIT
/* tc classifiers: one drops IPv4 packets to a blocked TCP port and marks the
 * rest, the other (legacy "classifier" section) sets a class id from the
 * packet length. */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

const volatile __u16 blocked_port = 23; /* set by the host before load */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} verdicts SEC(".maps"); /* [0] = passed, [1] = dropped */

static void count(__u32 idx)
{
	__u64 *v = bpf_map_lookup_elem(&verdicts, &idx);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("tc")
int tc_block_port(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp;

	if ((void *)(ip + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return TC_ACT_OK;
	if (ip->protocol != IPPROTO_TCP || ip->ihl != 5)
		return TC_ACT_OK;
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > data_end)
		return TC_ACT_OK;
	if (tcp->dest == bpf_htons(blocked_port)) {
		count(1);
		return TC_ACT_SHOT;
	}
	skb->mark = 0x2a;
	count(0);
	return TC_ACT_OK;
}

SEC("classifier")
int tc_classify_by_len(struct __sk_buff *skb)
{
	skb->tc_classid = skb->len > 1000 ? 0x10002 : 0x10001;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
