/* SPDX-License-Identifier: MIT */
/* Writes the event after submitting it: the memory belongs to the reader now.
 * expect: refuse
 * reason: before it was given a value
 * at: e->ts
 */
#include "common.h"

struct event {
	__u32 pid;
	__u32 pad;
	__u64 ts;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int ringbuf_use_after_submit(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);

	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(e, 0);
	e->ts = bpf_ktime_get_ns();
	return 0;
}
