/* SPDX-License-Identifier: MIT */
/* Asks the helper for 32 bytes into a 16-byte stack buffer.
 * expect: refuse
 * reason: run past the stack frame
 * at: bpf_get_current_comm
 */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, char[16]);
} comms SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int helper_buffer_too_small(void *ctx)
{
	char comm[16];
	__u32 pid = bpf_get_current_pid_tgid();

	bpf_get_current_comm(comm, OPAQUE(32));
	bpf_map_update_elem(&comms, &pid, comm, BPF_ANY);
	return 0;
}
