/* SPDX-License-Identifier: MIT */
/* A stack array indexed with an unchecked number from the context.
 * expect: refuse
 * reason: unbounded
 * at: buf[idx]
 */
#include "common.h"

SEC("xdp")
int stack_array_variable_index(struct xdp_md *ctx)
{
	volatile __u64 buf[8] = {};
	__u32 idx = ctx->rx_queue_index;

	buf[idx] = 1;
	return buf[0] ? XDP_DROP : XDP_PASS;
}
