/* SPDX-License-Identifier: MIT */
/* Every path submits or discards the reservation.
 * expect: accept
 */
#include "common.h"

struct event {
	__u32 pid;
	__u32 uid;
	__u64 ts;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int ringbuf_all_paths(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	__u64 uid_gid;

	if (!e)
		return 0;
	uid_gid = bpf_get_current_uid_gid();
	if ((__u32)uid_gid == 0) {
		bpf_ringbuf_discard(e, 0);
		return 0;
	}
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)uid_gid;
	e->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}
