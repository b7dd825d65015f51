// SPDX-License-Identifier: MIT
/* Refused: reads a __kconfig extern, which needs the kernel's config. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;

SEC("xdp")
int reads_kconfig(struct xdp_md *ctx)
{
	return LINUX_KERNEL_VERSION > 0x050000 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
