/* SPDX-License-Identifier: MIT */
/* Each function stays under 512 bytes of stack, but the call chain does not:
 * frames stack up (the kernel's combined-stack limit).
 * expect: refuse
 * reason: the combined stack of a chain of 2 calls
 * at: fill(
 */
#include "common.h"

static __noinline int fill(volatile char *seed)
{
	volatile char scratch[320];

	scratch[OPAQUE(0)] = *seed;
	scratch[OPAQUE(319)] = scratch[0] + 1;
	return scratch[319];
}

SEC("xdp")
int stack_combined_too_large(struct xdp_md *ctx)
{
	volatile char big[300];

	big[OPAQUE(0)] = (char)ctx->rx_queue_index;
	big[OPAQUE(299)] = 1;
	return fill(big) > 0 ? XDP_PASS : XDP_DROP;
}
