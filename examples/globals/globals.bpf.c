// SPDX-License-Identifier: MIT
/* Global data: initialised (.data), constant (.rodata, set by the host before
 * load as libbpf skeletons do), zeroed (.bss), a named data section and
 * string literals (.rodata.str1.1). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 threshold = 100;       /* .rodata */
const volatile __u64 scale = 3;             /* .rodata */
__u64 hits = 7;                             /* .data */
__u64 misses;                               /* .bss */
__u32 big_seen[4];                          /* .bss */
__u64 named_counter SEC(".data.counters") = 42; /* .data.counters */
static __u64 static_total;                  /* .bss, local symbol */

SEC("xdp")
int globals_xdp(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	static_total += len;
	if (len > threshold) {
		hits += scale;
		big_seen[len & 3] = len;
		named_counter++;
		bpf_printk("big packet: %u bytes", len);
	} else {
		misses++;
		bpf_trace_printk("small\n", sizeof("small\n"));
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
