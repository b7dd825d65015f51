// SPDX-License-Identifier: MIT
/* Refused: a CO-RE field access needs the running kernel's BTF. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct task_like {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

SEC("raw_tp/sys_enter")
int reads_core_field(struct task_like *t)
{
	return t->tgid;
}

char LICENSE[] SEC("license") = "GPL";
