// SPDX-License-Identifier: MIT
/* Maps defined the pre-BTF way: struct bpf_map_def in SEC("maps"). libbpf 1.0
 * dropped these; uebpf still reads them for old objects. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 64,
};

struct bpf_map_def SEC("maps") legacy_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 16,
	.map_flags = 0,
};

SEC("socket")
int legacy_count(struct __sk_buff *skb)
{
	__u32 key = skb->protocol, idx = 3;
	__u64 one = 1, *v = bpf_map_lookup_elem(&legacy_counts, &key);
	__u32 *a;

	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&legacy_counts, &key, &one, BPF_ANY);
	a = bpf_map_lookup_elem(&legacy_array, &idx);
	if (a)
		*a = skb->len;
	return 0;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060100;
