/* SPDX-License-Identifier: MIT */
/* Nine nested function calls: at most eight frames may be active.
 * expect: refuse
 * reason: deeper than 8 frames
 */
#include "common.h"

#define LEVEL(name, next) \
	static __noinline int name(int x) { return next(OPAQUE(x) + 1) + 1; }

static __noinline int f9(int x) { return OPAQUE(x); }
LEVEL(f8, f9)
LEVEL(f7, f8)
LEVEL(f6, f7)
LEVEL(f5, f6)
LEVEL(f4, f5)
LEVEL(f3, f4)
LEVEL(f2, f3)
LEVEL(f1, f2)

SEC("xdp")
int cfg_call_chain_too_deep(struct xdp_md *ctx)
{
	return f1(ctx->rx_queue_index) > 100 ? XDP_DROP : XDP_PASS;
}
