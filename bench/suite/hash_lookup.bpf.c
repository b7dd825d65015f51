// SPDX-License-Identifier: MIT
/* 64 bpf_map_lookup_elem calls on a hash map of 1024 entries (the host
 * fills it), keys from the packet, some of them missing: helper-call and
 * hash-table cost. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define LOOKUPS 64

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} lookup_table SEC(".maps");

SEC("xdp")
int hash_lookup(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 *keys = data;
	__u64 sum = 0;

	if ((void *)(keys + LOOKUPS) > data_end)
		return 0;
	for (int i = 0; i < LOOKUPS; i++) {
		__u32 key = keys[i];
		__u64 *value = bpf_map_lookup_elem(&lookup_table, &key);

		if (value)
			sum += *value;
		else
			sum += 1;
	}
	return (__u32)(sum ^ (sum >> 32));
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
