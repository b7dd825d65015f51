/* SPDX-License-Identifier: MIT */
/* bpf_loop runs at most 1 << 23 rounds: this call can only fail (-E2BIG).
 * expect: refuse
 * reason: more than the 8388608 iterations
 * at: bpf_loop
 */
#include "common.h"

static long nop(__u32 index, void *data)
{
	return 0;
}

SEC("xdp")
int cb_loop_too_many_rounds(struct xdp_md *ctx)
{
	bpf_loop(1 << 24, nop, NULL, 0);
	return XDP_PASS;
}
