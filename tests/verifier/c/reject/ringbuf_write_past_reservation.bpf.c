/* SPDX-License-Identifier: MIT */
/* Reserves the size of the header only, then fills the payload behind it.
 * expect: refuse
 * reason: of the ring buffer reservation, which has 8 bytes
 */
#include "common.h"

struct hdr {
	__u32 type;
	__u32 len;
};

struct msg {
	struct hdr h;
	__u64 payload;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int ringbuf_write_past_reservation(void *ctx)
{
	struct msg *m = bpf_ringbuf_reserve(&rb, sizeof(struct hdr), 0);

	if (!m)
		return 0;
	m->h.type = 1;
	m->h.len = sizeof(m->payload);
	m->payload = bpf_ktime_get_ns();
	bpf_ringbuf_submit(m, 0);
	return 0;
}
