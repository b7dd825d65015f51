/* SPDX-License-Identifier: MIT */
/* bpf_loop runs 32 rounds over a 16-slot array in the caller's context.
 * expect: refuse
 * reason: outside the stack frame
 * at: lc->slots[index]
 */
#include "common.h"

struct loop_ctx {
	__u64 slots[16];
};

static long clear_slot(__u32 index, void *data)
{
	struct loop_ctx *lc = data;

	lc->slots[index] = 0;
	return 0;
}

SEC("xdp")
int cb_loop_index_past_array(struct xdp_md *ctx)
{
	struct loop_ctx lc = {};

	bpf_loop(32, clear_slot, &lc, 0);
	return lc.slots[3] ? XDP_DROP : XDP_PASS;
}
