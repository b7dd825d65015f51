/* SPDX-License-Identifier: MIT */
/* Unprivileged programs may not loop at all, not even a bounded loop.
 * strict: yes
 * expect: refuse
 * reason: loops are not allowed in strict
 */
#include "common.h"

SEC("socket")
int strict_bounded_loop(struct __sk_buff *skb)
{
	__u32 sum = 0;

	for (int i = 0; i < OPAQUE(4); i++)
		sum += skb->cb[0] + i;
	return sum & 1 ? -1 : 0;
}
