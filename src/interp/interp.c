/* SPDX-License-Identifier: MIT */
/* Entry to the interpreter: picks the loop instance and turns a fault into
 * a message. */
#include <errno.h>
#include <string.h>

#include "common/error.h"
#include "interp/interp_internal.h"

static int report_fault(const struct uebpf_prog *prog, struct uebpf_run_ctx *rc,
			const struct interp_fault *f, int code, struct uebpf_error *err)
{
	switch (f->kind) {
	case IFAULT_ACCESS:
		return run_ctx_fault_access(rc, err, f->insn, f->addr, f->size, f->write);
	case IFAULT_BUDGET:
		return run_ctx_fault_budget(rc, err, f->insn, f->addr);
	case IFAULT_MISALIGNED:
		return run_ctx_fault_misaligned(rc, err, f->insn, f->addr, f->size);
	case IFAULT_DEPTH:
		return run_ctx_fault_depth(rc, err, f->insn);
	case IFAULT_CALLX:
		return run_ctx_fault_callx(rc, err, f->insn, f->addr);
	default:
		return run_ctx_fault(rc, err, code, f->insn,
				     "internal error: executed the second half of a lddw "
				     "(program has %zu instructions)", prog->insn_cnt);
	}
}

static int run_loop(const struct uebpf_prog *prog, struct uebpf_run_ctx *rc, bool checked,
		    const struct interp_entry *entry, uint64_t *ret, struct uebpf_error *err)
{
	struct interp_fault fault = { 0 };
	uint64_t r0 = 0;
	int code;

	if (!prog->interp)
		return uebpf_err(err, -EINVAL, "program '%s' has no interpreter image",
				 prog->name ? prog->name : "");
	code = (checked ? interp_loop_checked : interp_loop_unchecked)(
		prog->interp, rc, entry, &r0, &fault, NULL);
	if (code)
		return report_fault(prog, rc, &fault, code, err);
	*ret = r0;
	return 0;
}

int interp_run(const struct uebpf_prog *prog, struct uebpf_run_ctx *rc,
	       bool checked, uint64_t r1, uint64_t r2, uint64_t *ret,
	       struct uebpf_error *err)
{
	const struct interp_entry entry = {
		.pc = 0, .args = { r1, r2 }, .fp = rc->stack_hi,
		.max_depth = UEBPF_MAX_CALL_DEPTH,
	};

	return run_loop(prog, rc, checked, &entry, ret, err);
}

bool interp_is_func_entry(const struct uebpf_prog *prog, size_t idx)
{
	return prog->interp && idx < prog->interp->cnt && prog->interp->is_func_entry[idx];
}

int interp_call(const struct uebpf_prog *prog, struct uebpf_run_ctx *rc, bool checked,
		size_t idx, const uint64_t args[5], uint64_t fp, unsigned max_depth,
		uint64_t *ret, struct uebpf_error *err)
{
	struct interp_entry entry = { .pc = idx, .fp = fp, .max_depth = max_depth };

	if (!interp_is_func_entry(prog, idx))
		return uebpf_err(err, -EINVAL, "program '%s': instruction %zu is not a sub-program entry",
				 prog->name ? prog->name : "", idx);
	memcpy(entry.args, args, sizeof(entry.args));
	return run_loop(prog, rc, checked, &entry, ret, err);
}
