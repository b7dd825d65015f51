/* SPDX-License-Identifier: MIT */
/* Writes into the packet after the check, and reads skb fields tc may read.
 * expect: accept
 */
#include "common.h"

SEC("tc")
int tc_rewrite_ttl(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);

	if ((void *)(iph + 1) > data_end)
		return TC_ACT_OK;
	if (iph->ttl > 64)
		iph->ttl = 64;
	skb->mark = skb->len > 1000 ? 1 : 2;
	skb->cb[0] = skb->hash;
	return TC_ACT_OK;
}
