// SPDX-License-Identifier: MIT
/* Task helpers in a tracepoint program: who opened a file.
 * bpf_get_current_pid_tgid, bpf_get_current_uid_gid and
 * bpf_get_current_comm describe the calling thread; the record is kept per
 * thread id, and threads whose name is `watched_comm` (.rodata) are counted. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TASK_COMM_LEN 16

struct opener {
	__u32 tgid;
	__u32 pid;
	__u32 uid;
	__u32 gid;
	char comm[TASK_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32); /* thread id */
	__type(value, struct opener);
} openers SEC(".maps");

const char watched_comm[TASK_COMM_LEN] = "uebpf";
__u64 watched_opens = 0;

SEC("tracepoint/syscalls/sys_enter_openat")
int trace_openat(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u64 uid_gid = bpf_get_current_uid_gid();
	struct opener o = {
		.tgid = pid_tgid >> 32,
		.pid = (__u32)pid_tgid,
		.uid = (__u32)uid_gid,
		.gid = uid_gid >> 32,
	};

	if (bpf_get_current_comm(o.comm, sizeof(o.comm)))
		return 0;
	bpf_map_update_elem(&openers, &o.pid, &o, BPF_ANY);
	if (bpf_strncmp(o.comm, sizeof(o.comm), watched_comm) == 0)
		watched_opens++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
