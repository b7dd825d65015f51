// SPDX-License-Identifier: MIT
/* Misc and time helpers: a packet sampler. bpf_get_prandom_u32 decides which
 * packets are sampled (1 in `sample_every`, a .rodata setting: every packet
 * by default), and each sample records where and when it ran: CPU
 * (bpf_get_smp_processor_id), NUMA node (bpf_get_numa_node_id) and what the
 * clocks agree on (bpf_ktime_get_coarse_ns, bpf_ktime_get_ns,
 * bpf_ktime_get_boot_ns, bpf_jiffies64). Raw clock values differ from run to
 * run, so only their relations are kept. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define CLOCK_COARSE_NOT_AHEAD (1u << 0) /* coarse <= monotonic read after it */
#define CLOCK_BOOT_NOT_BEHIND  (1u << 1) /* boot time >= monotonic read before it */
#define CLOCK_JIFFIES_RUNNING  (1u << 2) /* jiffies64 != 0 */
#define CLOCK_MONOTONIC_RISES  (1u << 3) /* a second monotonic read is not earlier */

const volatile __u32 sample_every = 1;

struct sample {
	__u32 cpu;
	__u32 numa_node;
	__u32 clock_checks; /* CLOCK_* bits that held */
	__u32 len;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sample);
} last_sample SEC(".maps");

__u64 seen = 0;
__u64 sampled = 0;

SEC("xdp")
int xdp_sample(struct xdp_md *ctx)
{
	struct sample *s;
	__u64 coarse, mono, boot, mono2;
	__u32 key = 0, checks = 0;

	seen++;
	if (sample_every == 0 || bpf_get_prandom_u32() % sample_every != 0)
		return XDP_PASS;
	s = bpf_map_lookup_elem(&last_sample, &key);
	if (!s)
		return XDP_ABORTED;

	coarse = bpf_ktime_get_coarse_ns();
	mono = bpf_ktime_get_ns();
	boot = bpf_ktime_get_boot_ns();
	mono2 = bpf_ktime_get_ns();
	if (coarse <= mono)
		checks |= CLOCK_COARSE_NOT_AHEAD;
	if (boot >= mono)
		checks |= CLOCK_BOOT_NOT_BEHIND;
	if (bpf_jiffies64() != 0)
		checks |= CLOCK_JIFFIES_RUNNING;
	if (mono2 >= mono)
		checks |= CLOCK_MONOTONIC_RISES;

	s->cpu = bpf_get_smp_processor_id();
	s->numa_node = bpf_get_numa_node_id();
	s->clock_checks = checks;
	s->len = ctx->data_end - ctx->data;
	sampled++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
