// SPDX-License-Identifier: MIT
/* Sum of floor(log2(v)) over an array of 256 32-bit values in the packet,
 * computed branch-free by binary search on the bit position: ALU-heavy code
 * with one load per element. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define LOG2_COUNT 256

static __always_inline __u32 log2_u32(__u32 v)
{
	__u32 r, shift;

	r = (v > 0xffff) << 4;
	v >>= r;
	shift = (v > 0xff) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xf) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	return r | (v >> 1);
}

SEC("xdp")
int log2_array(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *values = data;
	__u32 sum = 0;

	if ((void *)(values + LOG2_COUNT) > data_end)
		return 0;
	for (int i = 0; i < LOG2_COUNT; i++)
		sum += log2_u32(values[i]);
	return sum;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
