/* SPDX-License-Identifier: MIT */
/* bpf_skb_load_bytes is for socket buffers, not XDP.
 * expect: refuse
 * reason: cannot be called from xdp programs
 */
#include "common.h"

SEC("xdp")
int helper_skb_load_bytes_in_xdp(struct xdp_md *ctx)
{
	__u8 buf[4];

	if (bpf_skb_load_bytes(ctx, 0, buf, sizeof(buf)))
		return XDP_DROP;
	return buf[0] ? XDP_PASS : XDP_DROP;
}
