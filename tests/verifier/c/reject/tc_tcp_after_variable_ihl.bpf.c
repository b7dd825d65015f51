/* SPDX-License-Identifier: MIT */
/* The TCP header sits ihl * 4 bytes into the IP header: a variable offset the
 * check of the IP header does not cover.
 * expect: refuse
 * reason: past a variable offset
 * at: tcp->dest
 */
#include "common.h"

SEC("tc")
int tc_tcp_after_variable_ihl(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct tcphdr *tcp;

	if ((void *)(iph + 1) > data_end || iph->protocol != IPPROTO_TCP)
		return TC_ACT_OK;
	tcp = (void *)iph + iph->ihl * 4;
	if (tcp->dest == bpf_htons(22))
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}
