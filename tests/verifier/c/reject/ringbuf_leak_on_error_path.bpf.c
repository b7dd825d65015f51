/* SPDX-License-Identifier: MIT */
/* Returns early on an error path without discarding the reservation.
 * expect: refuse
 * reason: not released at exit
 */
#include "common.h"

struct event {
	__u32 pid;
	__u32 uid;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int ringbuf_leak_on_error_path(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	__u64 uid_gid;

	if (!e)
		return 0;
	uid_gid = bpf_get_current_uid_gid();
	if ((__u32)uid_gid == 0)
		return 0; /* root: not interesting -- but e is still reserved */
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)uid_gid;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
