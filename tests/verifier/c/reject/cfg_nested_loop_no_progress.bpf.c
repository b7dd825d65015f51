/* SPDX-License-Identifier: MIT */
/* Trial division whose inner loop skips the increment for d == 2: an odd n
 * never leaves it. The state at the loop head repeats exactly.
 * expect: refuse
 * reason: infinite loop
 */
#include "common.h"

#define N_MAX 1500

SEC("xdp")
int cfg_nested_loop_no_progress(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *limit_p = data;
	__u32 limit, sum = 0;

	if ((void *)(limit_p + 1) > data_end)
		return XDP_PASS;
	limit = *limit_p;
	for (__u32 n = 2; n < N_MAX; n++) {
		__u32 smallest = n, d = 2;

		if (n >= limit)
			break;
		while (d * d <= n) {
			/* OPAQUE: keeps clang from assuming the loop ends */
			if (OPAQUE(n) % d == 0) {
				smallest = d;
				break;
			}
			if (d == 2)
				continue;
			d++;
		}
		sum += smallest;
	}
	return sum & 1 ? XDP_DROP : XDP_PASS;
}
