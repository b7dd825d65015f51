/* SPDX-License-Identifier: MIT */
/* Scans the payload with a loop but checks the bound only once, before it.
 * expect: refuse
 * reason: checked against data_end
 * at: payload[i]
 */
#include "common.h"

SEC("xdp")
int xdp_udp_port_loop_unchecked(struct xdp_md *ctx)
{
	unsigned char *payload = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	int zeros = 0;

	if (payload + 8 > (unsigned char *)data_end)
		return XDP_PASS;
	for (int i = 0; i < 16; i++)
		zeros += payload[i] == 0;
	return zeros > 8 ? XDP_DROP : XDP_PASS;
}
