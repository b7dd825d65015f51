// SPDX-License-Identifier: MIT
/* Tracepoint programs: bytes written per process (syscalls/sys_enter_write)
 * and a raw tracepoint counting scheduler switches. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* Layout of /sys/kernel/tracing/events/syscalls/sys_enter_write/format. */
struct sys_enter_write_args {
	__u64 common;         /* type, flags, preempt_count, pid */
	__s32 syscall_nr;
	__u32 pad;
	__u64 fd;
	__u64 buf;
	__u64 count;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);   /* tgid */
	__type(value, __u64); /* bytes */
} write_bytes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} switches SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_write")
int trace_write(struct sys_enter_write_args *args)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u64 *bytes = bpf_map_lookup_elem(&write_bytes, &tgid);

	if (bytes) {
		__sync_fetch_and_add(bytes, args->count);
	} else {
		__u64 count = args->count;

		bpf_map_update_elem(&write_bytes, &tgid, &count, BPF_ANY);
	}
	return 0;
}

SEC("raw_tracepoint/sched_switch")
int count_switches(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&switches, &zero);

	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
