/* SPDX-License-Identifier: MIT */
/* Metadata in front of the packet must be checked against data, not data_end.
 * expect: refuse
 * reason: checked against data
 * at: *mark
 */
#include "common.h"

SEC("xdp")
int xdp_meta_unchecked(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *mark = (void *)(long)ctx->data_meta;

	if (data + 1 > data_end)
		return XDP_PASS;
	return *mark == 7 ? XDP_DROP : XDP_PASS;
}
