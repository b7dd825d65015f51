// SPDX-License-Identifier: MIT
/* BPF_MAP_TYPE_PERF_EVENT_ARRAY: emit a sample on the current CPU's buffer.
 * max_entries is left out: the loader sizes it to the number of CPUs, as
 * libbpf does. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct sample {
	__u32 len;
	__u32 queue;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} samples SEC(".maps");

SEC("xdp")
int perf_sample(struct xdp_md *ctx)
{
	struct sample s = { ctx->data_end - ctx->data, ctx->rx_queue_index };

	bpf_perf_event_output(ctx, &samples, BPF_F_CURRENT_CPU, &s, sizeof(s));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
