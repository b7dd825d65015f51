/* SPDX-License-Identifier: MIT */
/* bpf_ringbuf_reserve returns NULL when the buffer is full.
 * expect: refuse
 * reason: may be NULL
 * at: e->pid
 */
#include "common.h"

struct event {
	__u32 pid;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int ringbuf_write_without_null_check(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);

	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
