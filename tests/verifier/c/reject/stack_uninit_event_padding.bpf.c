/* SPDX-License-Identifier: MIT */
/* An event struct with padding sent to the ring buffer: the padding bytes
 * were never written (they would leak old stack contents).
 * expect: refuse
 * reason: was never written
 * at: bpf_ringbuf_output
 */
#include "common.h"

struct event {
	__u32 pid;
	/* 4 bytes of padding */
	__u64 ts;
	__u8 cpu;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_write")
int stack_uninit_event_padding(void *ctx)
{
	struct event e;

	e.pid = bpf_get_current_pid_tgid() >> 32;
	e.ts = bpf_ktime_get_ns();
	e.cpu = bpf_get_smp_processor_id();
	bpf_ringbuf_output(&rb, &e, sizeof(e), 0);
	return 0;
}
