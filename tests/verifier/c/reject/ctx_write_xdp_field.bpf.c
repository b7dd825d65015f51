/* SPDX-License-Identifier: MIT */
/* XDP programs cannot redirect by writing the queue index.
 * expect: refuse
 * reason: invalid context access
 * at: ctx->rx_queue_index
 */
#include "common.h"

SEC("xdp")
int ctx_write_xdp_field(struct xdp_md *ctx)
{
	ctx->rx_queue_index = 0;
	return XDP_PASS;
}
