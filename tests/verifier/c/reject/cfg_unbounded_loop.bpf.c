/* SPDX-License-Identifier: MIT */
/* A loop bounded only by a number from the context: up to 4 billion rounds.
 * expect: refuse
 * reason: too complex
 */
#include "common.h"

SEC("tc")
int cfg_unbounded_loop(struct __sk_buff *skb)
{
	__u32 n = skb->len;
	__u64 acc = 0;

	for (__u32 i = 0; i < n; i++)
		acc = acc * 31 + OPAQUE(i);
	return acc & 1 ? TC_ACT_SHOT : TC_ACT_OK;
}
