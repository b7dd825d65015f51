/* SPDX-License-Identifier: MIT */
/* A function returns the address of its own local variable.
 * expect: refuse
 * reason: pointer to its own stack
 */
#include "common.h"

static __noinline volatile __u64 *scratch_slot(__u64 v)
{
	volatile __u64 slot = v;
	volatile __u64 *p = &slot;

	asm volatile("" : "+r"(p));
	return p;
}

SEC("xdp")
int stack_return_local_address(struct xdp_md *ctx)
{
	volatile __u64 *p = scratch_slot(ctx->rx_queue_index);

	return *p ? XDP_PASS : XDP_DROP;
}
