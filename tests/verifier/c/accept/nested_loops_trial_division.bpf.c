/* SPDX-License-Identifier: MIT */
/* Counts the odd composites below a limit from the packet by trial division:
 * two nested bounded loops (n < 4500, d * d <= n) around a modulo the
 * verifier cannot decide, so every (n, d) pair forks. A path leaving the
 * inner loop early reaches the next n with only the count differing, which
 * no check depends on, and must be pruned there. Before the loop-aware state
 * storing (docs/verifier.md, "Pruning in loops") the states of the next n
 * had been evicted by then: over 1,000,000 instructions, refused as too
 * complex; now about 590,000. Linux 6.18 accepts it too.
 * expect: accept
 */
#include "common.h"

#define N_MAX 4500

SEC("xdp")
int nested_loops_trial_division(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *limit_p = data;
	__u32 limit, count = 0;

	if ((void *)(limit_p + 1) > data_end)
		return XDP_PASS;
	limit = *limit_p;
	for (__u32 n = 3; n < N_MAX; n += 2) {
		__u32 composite = 0;

		if (n >= limit)
			break;
		for (__u32 d = 3; d < N_MAX; d += 2) {
			if (d * d > n)
				break;
			if (n % d == 0) {
				composite = 1;
				break;
			}
		}
		count += composite;
	}
	return count & 3; /* XDP_ABORTED .. XDP_TX */
}
