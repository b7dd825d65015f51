/* SPDX-License-Identifier: MIT */
/* Rewrites the IP TTL after checking only the Ethernet header.
 * expect: refuse
 * reason: writing 1 byte at packet offset 22
 * at: iph->ttl
 */
#include "common.h"

SEC("tc")
int tc_write_past_check(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(eth + 1) > data_end)
		return TC_ACT_OK;
	iph->ttl = 64;
	return TC_ACT_OK;
}
