/* SPDX-License-Identifier: MIT */
/* Reads tracepoint fields after the common header.
 * expect: accept
 */
#include "common.h"

struct sys_enter_write_args {
	unsigned short common_type;
	unsigned char common_flags;
	unsigned char common_preempt_count;
	int common_pid;
	long syscall_nr;
	unsigned long fd;
	const char *buf;
	unsigned long count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} bytes_by_fd SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_write")
int tracepoint_fields(struct sys_enter_write_args *args)
{
	__u32 fd = (__u32)args->fd;
	__u64 *total = bpf_map_lookup_elem(&bytes_by_fd, &fd);
	__u64 n = args->count;

	if (total)
		__sync_fetch_and_add(total, n);
	else
		bpf_map_update_elem(&bytes_by_fd, &fd, &n, BPF_ANY);
	return 0;
}
