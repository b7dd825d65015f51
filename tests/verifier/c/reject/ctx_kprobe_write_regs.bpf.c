/* SPDX-License-Identifier: MIT */
/* kprobes may read pt_regs, not change them (that is bpf_override_return).
 * expect: refuse
 * reason: invalid context access
 * at: ctx->rax
 */
#include "common.h"

SEC("kprobe/should_fail_bio")
int ctx_kprobe_write_regs(struct pt_regs *ctx)
{
	ctx->rax = -12;
	return 0;
}
