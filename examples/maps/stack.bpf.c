// SPDX-License-Identifier: MIT
/* BPF_MAP_TYPE_STACK: push packet lengths, pop the oldest/newest when full. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 32);
	__type(value, __u32);
} stack_lens SEC(".maps");

SEC("xdp")
int stack_push_pop(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data, old;

	if (bpf_map_push_elem(&stack_lens, &len, 0) < 0) {
		bpf_map_pop_elem(&stack_lens, &old);
		bpf_map_push_elem(&stack_lens, &len, 0);
	}
	if (bpf_map_peek_elem(&stack_lens, &old) == 0 && old == 0)
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
