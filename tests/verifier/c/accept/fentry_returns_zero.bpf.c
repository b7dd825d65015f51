/* SPDX-License-Identifier: MIT */
/* fentry: reads its arguments, counts, returns 0.
 * expect: accept
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

SEC("fentry/do_unlinkat")
int fentry_returns_zero(unsigned long long *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&calls, &zero);

	if (n && ctx[0] != 0)
		__sync_fetch_and_add(n, 1);
	return 0;
}
