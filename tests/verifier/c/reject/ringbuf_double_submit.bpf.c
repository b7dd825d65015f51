/* SPDX-License-Identifier: MIT */
/* Submits the same reservation twice (once in a helper function, once after).
 * expect: refuse
 * reason: before it was given a value
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int ringbuf_double_submit(void *ctx)
{
	__u64 *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);

	if (!e)
		return 0;
	*e = bpf_ktime_get_ns();
	bpf_ringbuf_submit(e, 0);
	bpf_ringbuf_submit(OPAQUE(e), 0);
	return 0;
}
