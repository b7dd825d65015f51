/* SPDX-License-Identifier: MIT */
/* Recursion: BPF functions may not call themselves.
 * expect: refuse
 * reason: recursive call
 */
#include "common.h"

static __noinline int depth(volatile int n)
{
	if (n <= 0)
		return 0;
	return 1 + depth(OPAQUE(n) - 1) + depth(OPAQUE(n) - 2);
}

SEC("xdp")
int cfg_recursion(struct xdp_md *ctx)
{
	return depth(ctx->rx_queue_index & 7) > 3 ? XDP_DROP : XDP_PASS;
}
