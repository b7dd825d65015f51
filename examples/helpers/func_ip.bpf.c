// SPDX-License-Identifier: MIT
/* bpf_get_func_ip and bpf_get_attach_cookie: one program attached to several
 * functions tells them apart by the probed address, or by the cookie the
 * attacher gave each link. Calls are counted per (address, cookie); the
 * first argument (PT_REGS_PARM1, rdi) is summed per pair. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>

struct call_site {
	__u64 func_ip;
	__u64 cookie;
};

struct call_stats {
	__u64 calls;
	__u64 arg_sum;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct call_site);
	__type(value, struct call_stats);
} calls SEC(".maps");

static __always_inline int count_call(struct pt_regs *regs)
{
	struct call_site site = {
		.func_ip = bpf_get_func_ip(regs),
		.cookie = bpf_get_attach_cookie(regs),
	};
	struct call_stats init = { .calls = 1, .arg_sum = regs->rdi }, *st;

	st = bpf_map_lookup_elem(&calls, &site);
	if (!st)
		return bpf_map_update_elem(&calls, &site, &init, BPF_NOEXIST) ? 1 : 0;
	__sync_fetch_and_add(&st->calls, 1);
	__sync_fetch_and_add(&st->arg_sum, regs->rdi);
	return 0;
}

SEC("kprobe/do_nanosleep")
int kprobe_sleep(struct pt_regs *regs)
{
	return count_call(regs);
}

SEC("uprobe//usr/lib/x86_64-linux-gnu/libc.so.6:malloc")
int uprobe_malloc(struct pt_regs *regs)
{
	return count_call(regs);
}

char LICENSE[] SEC("license") = "GPL";
