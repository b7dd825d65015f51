/* SPDX-License-Identifier: MIT */
/* skb->cb[] indexed by a variable: the context may only be accessed at
 * constant offsets.
 * expect: refuse
 * reason: context
 * at: skb->cb[slot]
 */
#include "common.h"

SEC("tc")
int ctx_variable_cb_index(struct __sk_buff *skb)
{
	__u32 slot = skb->hash & 3;

	skb->cb[slot] = 1;
	return TC_ACT_OK;
}
