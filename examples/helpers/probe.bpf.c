// SPDX-License-Identifier: MIT
/* Probe helpers in a tracepoint program: the tracepoint record holds a
 * header, an inline file name and a pointer to another name. The program
 * copies the header with bpf_probe_read_kernel, the inline name with
 * bpf_probe_read_kernel_str, and follows the pointer with
 * bpf_probe_read_user_str and bpf_probe_read_user, keeping every return
 * value: a read that faults returns -EFAULT and zeroes the destination. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define NAME_LEN 32

/* The record as the test sends it (data_in). */
struct open_record {
	__u64 common;             /* tracepoint header: type, flags, pid */
	__s32 dfd;
	__u32 flags;
	char inline_name[NAME_LEN];
	const char *user_name;    /* a pointer into the traced process */
};

struct probe_result {
	__s64 header_ret;
	__s64 inline_ret;         /* bytes copied including the NUL, or -errno */
	__s64 user_str_ret;
	__s64 user_ret;
	__u64 common;
	__s32 dfd;
	__u32 flags;
	char inline_name[NAME_LEN];
	char user_name[NAME_LEN];
	__u64 user_head;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct probe_result);
} results SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int probe_open(struct open_record *rec)
{
	__u32 key = 0;
	struct probe_result *r = bpf_map_lookup_elem(&results, &key);
	const char *user_name = 0;

	if (!r)
		return 0;
	r->header_ret = bpf_probe_read_kernel(&r->common, 16, rec);
	r->inline_ret = bpf_probe_read_kernel_str(r->inline_name, NAME_LEN, rec->inline_name);
	bpf_probe_read_kernel(&user_name, sizeof(user_name), &rec->user_name);
	r->user_str_ret = bpf_probe_read_user_str(r->user_name, NAME_LEN, user_name);
	r->user_ret = bpf_probe_read_user(&r->user_head, sizeof(r->user_head), user_name);
	return r->inline_ret > 0;
}

char LICENSE[] SEC("license") = "GPL";
