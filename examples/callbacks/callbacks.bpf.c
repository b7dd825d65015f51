// SPDX-License-Identifier: MIT
/* Callbacks: bpf_loop and bpf_for_each_map_elem take the address of a static
 * function (lddw src=4, BPF_PSEUDO_FUNC). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

struct loop_ctx {
	__u64 sum;
	__u32 limit;
};

static long add_index(__u32 index, void *data)
{
	struct loop_ctx *lc = data;

	lc->sum += index;
	return index >= lc->limit; /* 1 stops the loop */
}

static long sum_value(void *map, __u32 *key, __u64 *value, void *data)
{
	*(__u64 *)data += *value;
	return 0;
}

SEC("xdp")
int loop_sum(struct xdp_md *ctx)
{
	struct loop_ctx lc = { .sum = 0, .limit = 10 };
	__u64 total = 0;

	bpf_loop(100, add_index, &lc, 0);
	bpf_for_each_map_elem(&values, sum_value, &total, 0);
	return lc.sum + total == 45 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
