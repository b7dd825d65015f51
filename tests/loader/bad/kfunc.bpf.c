// SPDX-License-Identifier: MIT
/* Refused: calls a kernel function (kfunc), which uebpf cannot provide. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern void bpf_rcu_read_lock(void) __ksym;

SEC("xdp")
int calls_kfunc(struct xdp_md *ctx)
{
	bpf_rcu_read_lock();
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
