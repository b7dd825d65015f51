/* SPDX-License-Identifier: MIT */
/* Socket filters have no direct packet access: skb->data is not readable
 * (use bpf_skb_load_bytes or load_byte).
 * expect: refuse
 * reason: invalid context access
 * at: skb->data
 */
#include "common.h"

SEC("socket")
int socket_filter_direct_packet(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > data_end)
		return 0;
	return eth->h_proto == bpf_htons(ETH_P_IP) ? -1 : 0;
}
