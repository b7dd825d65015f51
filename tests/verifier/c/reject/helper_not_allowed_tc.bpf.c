/* SPDX-License-Identifier: MIT */
/* Code ported from XDP to tc: bpf_redirect_map is an XDP helper (tc has
 * bpf_redirect).
 * expect: refuse
 * reason: cannot be called from sched_cls programs
 * at: bpf_redirect_map
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} ports SEC(".maps");

SEC("tc")
int helper_not_allowed_tc(struct __sk_buff *skb)
{
	return bpf_redirect_map(&ports, skb->ifindex & 7, 0);
}
