// SPDX-License-Identifier: MIT
/* a + b, both read from the packet: one bounds check, two loads. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct operands {
	__u64 a;
	__u64 b;
};

SEC("xdp")
int add_mem(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct operands *op = data;

	if ((void *)(op + 1) > data_end)
		return 0;
	return (int)(op->a + op->b);
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
