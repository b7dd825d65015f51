/* SPDX-License-Identifier: MIT */
/* skb->len is read-only for tc programs (meant bpf_skb_change_tail).
 * expect: refuse
 * reason: invalid context access
 * at: skb->len
 */
#include "common.h"

SEC("tc")
int ctx_write_skb_len(struct __sk_buff *skb)
{
	if (skb->len > 1500)
		skb->len = 1500;
	return TC_ACT_OK;
}
