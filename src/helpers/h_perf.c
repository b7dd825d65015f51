/* SPDX-License-Identifier: MIT */
/*
 * bpf_perf_event_output(ctx, map, flags, data, size): appends a sample to
 * the perf event array's buffer `flags & BPF_F_INDEX_MASK`, or the buffer
 * of the CPU the thread runs on with BPF_F_CURRENT_CPU. Returns 0, -EINVAL
 * (other flag bits, not a perf event array), -E2BIG (index beyond
 * max_entries) or -ENOSPC (buffer full: the sample is counted as lost), as
 * src/maps/perf_event_array.c implements.
 */
#include <errno.h>

#include "helpers/helpers_internal.h"
#include "maps/map_internal.h"

HELPER_FN(helper_perf_event_output)
{
	struct uebpf_map *map = helper_map(rc, r2);

	(void)r1; /* the context: the sample carries no registers here */
	if (!map)
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
			"bpf_perf_event_output: r2 = 0x%llx is not a map the program references",
			(unsigned long long)r2);
	if (!helper_mem_ok(rc, r4, r5, false))
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
			"bpf_perf_event_output: data [0x%llx, +%llu) is not memory the program may read",
			(unsigned long long)r4, (unsigned long long)r5);
	return (uint64_t)map_perf_event_output(map, r3, helper_ptr(r4), r5);
}
