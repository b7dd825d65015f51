/* SPDX-License-Identifier: MIT */
/* A function filling a buffer on its caller's stack.
 * expect: accept
 */
#include "common.h"

static __noinline int fill(__u8 *buf, __u32 n, __u8 seed)
{
	for (__u32 i = 0; i < 16; i++) {
		if (i >= n)
			break;
		buf[i] = seed + i;
	}
	return n;
}

SEC("xdp")
int bpf2bpf_stack_buffer(struct xdp_md *ctx)
{
	__u8 buf[16] = {};

	fill(buf, ctx->rx_queue_index & 15, 7);
	return buf[3] == 10 ? XDP_DROP : XDP_PASS;
}
