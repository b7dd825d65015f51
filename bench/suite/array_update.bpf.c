// SPDX-License-Identifier: MIT
/* 64 bpf_map_update_elem calls on an array map, values from the packet:
 * helper calls writing map memory. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define UPDATES 64

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} slots SEC(".maps");

SEC("xdp")
int array_update(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 *values = data;
	__u64 sum = 0;
	__u32 failures = 0;

	if ((void *)(values + UPDATES) > data_end)
		return 0;
	for (__u32 i = 0; i < UPDATES; i++) {
		__u32 key = (i * 4) & 255;
		__u64 value = values[i] + i;

		if (bpf_map_update_elem(&slots, &key, &value, BPF_ANY))
			failures++;
		sum += value;
	}
	return (__u32)(sum ^ (sum >> 32)) + failures;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
