/* SPDX-License-Identifier: MIT */
/* Reads the byte before the packet start (meant data_end - 1).
 * expect: refuse
 * reason: before the start of the packet
 */
#include "common.h"

SEC("xdp")
int xdp_read_before_packet(struct xdp_md *ctx)
{
	unsigned char *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 1 > (unsigned char *)data_end)
		return XDP_DROP;
	return data[OPAQUE(-1)] == 0xff ? XDP_DROP : XDP_PASS;
}
