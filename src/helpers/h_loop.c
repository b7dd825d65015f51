/* SPDX-License-Identifier: MIT */
/*
 * bpf_loop(nr_loops, callback, ctx, flags): calls callback(i, ctx) for
 * i = 0 .. nr_loops - 1 until it returns non-zero (1 in the kernel's
 * contract). Returns the number of calls made, -EINVAL for flags != 0,
 * -E2BIG for more than 1 << 23 loops. Each call is a callback into the
 * running program (run_ctx_call), charged to the run's instruction budget.
 */
#include <errno.h>

#include "helpers/helpers_internal.h"

#define BPF_MAX_LOOPS (1u << 23)

HELPER_FN(helper_loop)
{
	uint32_t nr_loops = (uint32_t)r1, i;
	uint64_t args[5] = { 0, r3, 0, 0, 0 }, r0;

	(void)r5;
	if (r4)
		return (uint64_t)(int64_t)-EINVAL;
	if (nr_loops > BPF_MAX_LOOPS)
		return (uint64_t)(int64_t)-E2BIG;
	for (i = 0; i < nr_loops; i++) {
		args[0] = i;
		if (run_ctx_call(rc, r2, args, &r0) || rc->exit_requested)
			return i + 1;
		if (r0)
			return i + 1;
	}
	return i;
}
