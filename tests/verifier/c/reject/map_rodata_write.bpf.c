/* SPDX-License-Identifier: MIT */
/* Writes a `const volatile` setting: it lives in .rodata, read-only for programs.
 * expect: refuse
 * reason: read-only
 * at: *(volatile __u32 *)&sample_rate
 */
#include "common.h"

const volatile __u32 sample_rate = 100;

SEC("xdp")
int map_rodata_write(struct xdp_md *ctx)
{
	if (ctx->rx_queue_index > 4)
		*(volatile __u32 *)&sample_rate = 1;
	return sample_rate > 10 ? XDP_PASS : XDP_DROP;
}
