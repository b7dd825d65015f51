/* SPDX-License-Identifier: MIT */
/*
 * skb helpers for socket filters and tc programs: bpf_skb_load_bytes.
 *
 * The packet is what the hook handed the run for the legacy packet loads
 * (rc->pkt_data/pkt_len): it starts where skb->data does (the network header
 * for socket filters, the Ethernet header for tc), so offsets mean what they
 * mean in the kernel. r1 (the skb) is not trusted for anything.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "helpers/helpers_internal.h"

/* bpf_skb_load_bytes(skb, offset, to, len): copies len packet bytes from
 * offset into `to`. As the kernel's (net/core/filter.c): 0, or -EFAULT with
 * `to` zeroed when the bytes are not all inside the packet. */
HELPER_FN(helper_skb_load_bytes)
{
	uint32_t offset = (uint32_t)r2, len = (uint32_t)r4;
	void *to = helper_ptr(r3);

	(void)r1, (void)r5;
	if (!helper_mem_ok(rc, r3, len, true))
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
			"bpf_skb_load_bytes: destination [0x%llx, +%u) is not memory the program "
			"may write", (unsigned long long)r3, len);
	if (offset > INT_MAX || !rc->pkt_data || (uint64_t)offset + len > rc->pkt_len) {
		memset(to, 0, len);
		return (uint64_t)(int64_t)-EFAULT;
	}
	memcpy(to, rc->pkt_data + offset, len);
	return 0;
}
