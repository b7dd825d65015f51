// SPDX-License-Identifier: MIT
/* bpf-to-bpf calls: global and static sub-programs in .text, nested calls,
 * and two programs in different sections sharing sub-programs. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

static __noinline __u64 square(__u64 x)
{
	return x * x;
}

__noinline int bump(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&calls, &slot);

	if (!v)
		return -1;
	*v += 1;
	return 0;
}

__noinline __u64 sum_of_squares(__u64 a, __u64 b)
{
	bump(1);
	return square(a) + square(b);
}

SEC("xdp")
int bpf2bpf_xdp(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;

	bump(0);
	return sum_of_squares(len, 2) > 100 ? XDP_PASS : XDP_DROP;
}

SEC("socket")
int bpf2bpf_socket(struct __sk_buff *skb)
{
	return square(skb->len) > 10000 ? 0 : skb->len;
}

char LICENSE[] SEC("license") = "GPL";
