/* SPDX-License-Identifier: MIT */
/* Socket filters only observe packets: bpf_skb_store_bytes is for tc.
 * expect: refuse
 * reason: cannot be called from socket_filter programs
 * at: bpf_skb_store_bytes
 */
#include "common.h"

SEC("socket")
int helper_not_allowed_socket(struct __sk_buff *skb)
{
	__u8 tos = 0;

	bpf_skb_store_bytes(skb, ETH_HLEN + 1, &tos, 1, 0);
	return -1;
}
