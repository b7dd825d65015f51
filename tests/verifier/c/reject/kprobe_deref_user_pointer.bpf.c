/* SPDX-License-Identifier: MIT */
/* Dereferences a syscall argument directly instead of bpf_probe_read_user:
 * the verifier sees a number, not a pointer.
 * expect: refuse
 * reason: is a number, not a pointer
 * at: filename[0]
 */
#include "common.h"

SEC("kprobe/do_sys_openat2")
int kprobe_deref_user_pointer(struct pt_regs *ctx)
{
	const char *filename = (const char *)ctx->rsi;

	return filename[0] == '/';
}
