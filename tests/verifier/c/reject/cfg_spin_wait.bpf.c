/* SPDX-License-Identifier: MIT */
/* Busy-waits for another CPU to set a flag: nothing in the program changes,
 * so the loop may never end.
 * expect: refuse
 * reason: infinite loop
 * at: while
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} ready SEC(".maps");

SEC("xdp")
int cfg_spin_wait(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u32 *flag = bpf_map_lookup_elem(&ready, &zero);

	if (!flag)
		return XDP_PASS;
	while (*(volatile __u32 *)flag == 0)
		;
	return XDP_PASS;
}
