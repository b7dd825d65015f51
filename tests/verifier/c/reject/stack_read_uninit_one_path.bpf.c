/* SPDX-License-Identifier: MIT */
/* `verdict` is written on one path only, then read on both.
 * expect: refuse
 * reason: was never written on this path
 */
#include "common.h"

static __always_inline void set_if(volatile int *out, int cond)
{
	if (cond)
		*out = XDP_DROP;
}

SEC("xdp")
int stack_read_uninit_one_path(struct xdp_md *ctx)
{
	volatile int verdict;

	set_if(&verdict, ctx->rx_queue_index == 3);
	return verdict;
}
