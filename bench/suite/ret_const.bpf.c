// SPDX-License-Identifier: MIT
/* The smallest program: measures what calling a program costs in each
 * engine (entry, exit, the run harness around it). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int ret_const(struct xdp_md *ctx)
{
	(void)ctx;
	return 42;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
