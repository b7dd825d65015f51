/* SPDX-License-Identifier: MIT */
/* A bpf_loop callback returns 0 (continue) or 1 (stop); this one returns the index.
 * expect: refuse
 * reason: must return a value in [0, 1]
 */
#include "common.h"

struct find_ctx {
	__u32 want;
	__u32 found;
};

static long find_slot(__u32 index, void *data)
{
	struct find_ctx *fc = data;

	if (index == fc->want) {
		fc->found = 1;
		return index;
	}
	return 0;
}

SEC("xdp")
int cb_loop_returns_index(struct xdp_md *ctx)
{
	struct find_ctx fc = { .want = ctx->rx_queue_index, .found = 0 };

	bpf_loop(64, find_slot, &fc, 0);
	return fc.found ? XDP_DROP : XDP_PASS;
}
