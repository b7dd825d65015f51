/* SPDX-License-Identifier: MIT */
/*
 * JIT images: compiling into executable memory (jit_exec_mem.c), running
 * from the program's entry (jit_run) or a sub-program entry (jit_call, for
 * callbacks), and turning a stop of the generated code into the same error
 * the interpreter gives.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "jit/jit_internal.h"

static const char *prog_name(const struct uebpf_prog *prog)
{
	return prog && prog->name ? prog->name : "";
}

int jit_compile_opts(const struct uebpf_prog *prog, const struct jit_opts *opts,
		     struct jit_image **out, struct uebpf_error *err)
{
	struct uebpf_error mem_err;
	struct jit_code code;
	struct jit_image *image;
	int ret;

	if (!prog || !opts || !out)
		return uebpf_err(err, -EINVAL, "jit_compile: prog, opts and out must not be NULL");
	*out = NULL;
	ret = jit_translate(prog, opts, &code, err);
	if (ret)
		return ret;

	image = calloc(1, sizeof(*image));
	if (!image) {
		jit_code_release(&code);
		return uebpf_err(err, -ENOMEM, "program '%s': out of memory for the JIT image",
				 prog_name(prog));
	}
	ret = jit_exec_alloc(code.bytes, code.len, &image->mem, &mem_err);
	if (ret) {
		jit_code_release(&code);
		free(image);
		return uebpf_err(err, ret, "program '%s': %s", prog_name(prog), mem_err.msg);
	}
	free(code.bytes);
	image->code = image->mem.code;
	image->code_len = code.len;
	image->insn_off = code.insn_off;
	image->insn_cnt = prog->insn_cnt;
	image->body_off = code.body_off;
	image->stubs_off = code.stubs_off;
	image->callback_off = code.callback_off;
	image->is_func_entry = code.is_func_entry;
	image->tables = code.tables;
	image->nr_tables = code.nr_tables;
	if (code.has_lean)
		image->lean = (jit_lean_fn *)(void *)(image->code + code.lean_off);
	image->checked = opts->checked;
	image->blinded = opts->blind;
	image->prog = prog;
	*out = image;
	return 0;
}

int jit_compile(const struct uebpf_prog *prog, bool checked,
		struct jit_image **out, struct uebpf_error *err)
{
	struct jit_opts opts = { .checked = checked };

	return jit_compile_opts(prog, &opts, out, err);
}

void jit_image_free(struct jit_image *image)
{
	if (!image)
		return;
	jit_exec_free(&image->mem);
	free(image->insn_off);
	free(image->is_func_entry);
	free(image->tables);
	free(image);
}

const uint8_t *jit_image_code(const struct jit_image *image, size_t *len)
{
	if (len)
		*len = image->code_len;
	return image->code;
}

const uint32_t *jit_image_insn_offsets(const struct jit_image *image)
{
	return image->insn_off;
}

size_t jit_image_insn_cnt(const struct jit_image *image)
{
	return image->insn_cnt;
}

jit_lean_fn *jit_image_lean_entry(const struct jit_image *image)
{
	return image->lean;
}

bool jit_image_checked(const struct jit_image *image)
{
	return image->checked;
}

/* Fills what the generated code reads, and nothing more: this runs on
 * every call, so no memset of the whole state (the bounds are read by
 * checked code only; r0, saved_rsp and the fault fields are written by the
 * code before they are read). */
static void state_init(struct jit_state *st, const struct jit_image *image,
		       struct uebpf_run_ctx *rc, uint64_t fp, unsigned depth)
{
	if (image->checked) {
		jit_state_set_bounds(&st->stack_lo, st->stack_last, rc->stack_lo, rc->stack_hi, true);
		jit_state_set_bounds(&st->mem_lo, st->mem_last, rc->mem_lo, rc->mem_hi, true);
		jit_state_set_bounds(&st->memw_lo, st->memw_last, rc->mem_lo, rc->mem_hi,
				     rc->mem_writable);
		jit_state_set_bounds(&st->hot_lo, st->hot_last, 0, 0, false);
		jit_state_set_bounds(&st->hotw_lo, st->hotw_last, 0, 0, false);
		st->budget = rc->budget_left > (uint64_t)INT64_MAX ? INT64_MAX
								    : (int64_t)rc->budget_left;
	}
	st->rc = rc;
	st->fault_insn = 0;
	st->fault_addr = 0;
	st->fault_info = 0;
	st->depth = depth;
	st->fp = fp;
	st->pkt_data = rc->pkt_data;
	st->pkt_len = rc->pkt_len;
	st->helpers = image->prog ? image->prog->helpers : NULL;
	st->image = image;
	/* run_ctx_call runs callbacks of this run in this image */
	rc->engine = RUN_CTX_ENGINE_JIT;
	rc->jit_image = image;
}

/* Turns the status the code returned into r0 or the interpreter's error. */
static int finish(const struct jit_image *image, struct uebpf_run_ctx *rc,
		  const struct jit_state *st, int status, uint64_t *ret, struct uebpf_error *err)
{
	switch (status) {
	case JIT_STATUS_EXIT:
	case JIT_STATUS_EXIT_REQUESTED:
	case JIT_STATUS_PKT_OUT:
		if (image->checked)
			rc->budget_left = (uint64_t)st->budget;   /* >= 0: checked before stopping */
		*ret = status == JIT_STATUS_EXIT ? st->r0
		       : status == JIT_STATUS_EXIT_REQUESTED ? rc->exit_value : 0;
		return 0;
	case JIT_STATUS_FAULT_ACCESS:
		return run_ctx_fault_access(rc, err, st->fault_insn, st->fault_addr,
					    (uint32_t)(st->fault_info & 0xff),
					    (st->fault_info >> 8) & 1);
	case JIT_STATUS_FAULT_BUDGET: {
		/* as the interpreter: the run's whole budget */
		uint64_t budget = rc->budget_total ? rc->budget_total : rc->budget_left;

		rc->budget_left = 0;
		return run_ctx_fault_budget(rc, err, st->fault_insn, budget);
	}
	case JIT_STATUS_FAULT_MISALIGNED:
		return run_ctx_fault_misaligned(rc, err, st->fault_insn, st->fault_addr,
						(uint32_t)(st->fault_info & 0xff));
	case JIT_STATUS_FAULT_DEPTH:
		return run_ctx_fault_depth(rc, err, st->fault_insn);
	case JIT_STATUS_FAULT_CALLX:
		return run_ctx_fault_callx(rc, err, st->fault_insn, st->fault_addr);
	default:
		return uebpf_err(err, -EFAULT,
				 "program '%s': internal JIT error: unknown stop status %d at insn %llu",
				 prog_name(image->prog), status, (unsigned long long)st->fault_insn);
	}
}

JIT_CALLS_GENERATED_CODE
int jit_run(const struct jit_image *image, struct uebpf_run_ctx *rc,
	    uint64_t r1, uint64_t r2, uint64_t *ret, struct uebpf_error *err)
{
	struct jit_state st;
	int status;

	if (!image || !rc || !ret)
		return uebpf_err(err, -EINVAL, "jit_run: image, rc and ret must not be NULL");
	if (image->checked &&
	    (rc->stack_hi < rc->stack_lo ||
	     rc->stack_hi - rc->stack_lo < (uint64_t)UEBPF_STACK_SIZE * UEBPF_MAX_CALL_DEPTH))
		return uebpf_err(err, -EINVAL,
				 "jit_run: program '%s': the run context's stack holds %llu bytes; "
				 "checked JIT code needs %d frames of %d bytes",
				 prog_name(image->prog),
				 (unsigned long long)(rc->stack_hi - rc->stack_lo),
				 UEBPF_MAX_CALL_DEPTH, UEBPF_STACK_SIZE);

	state_init(&st, image, rc, rc->stack_hi, 0);
	st.args[0] = r1;
	st.args[1] = r2;
	status = ((jit_entry_fn *)(void *)image->code)(&st);
	return finish(image, rc, &st, status, ret, err);
}

JIT_CALLS_GENERATED_CODE
int jit_call(const struct jit_image *image, struct uebpf_run_ctx *rc, size_t idx,
	     const uint64_t args[5], uint64_t fp, unsigned max_depth, uint64_t *ret,
	     struct uebpf_error *err)
{
	struct jit_state st;
	int status;

	if (!image || !rc || !args || !ret)
		return uebpf_err(err, -EINVAL, "jit_call: image, rc, args and ret must not be NULL");
	if (idx >= image->insn_cnt || !image->is_func_entry[idx])
		return uebpf_err(err, -EINVAL,
				 "program '%s': instruction %zu is not a sub-program entry",
				 prog_name(image->prog), idx);
	/* The frames it may use must lie inside the stack: checked code
	 * trusts r10-relative accesses within the current frame. */
	if (max_depth == 0 || max_depth > UEBPF_MAX_CALL_DEPTH ||
	    fp > rc->stack_hi || fp < rc->stack_lo ||
	    fp - rc->stack_lo < (uint64_t)UEBPF_STACK_SIZE * max_depth)
		return uebpf_err(err, -EINVAL,
				 "jit_call: program '%s': %u frames below 0x%llx do not fit in the "
				 "run's stack", prog_name(image->prog), max_depth,
				 (unsigned long long)fp);

	state_init(&st, image, rc, fp, UEBPF_MAX_CALL_DEPTH - max_depth);
	memcpy(st.args, args, sizeof(st.args));
	st.target = (uint64_t)(uintptr_t)(image->code + image->insn_off[idx]);
	status = ((jit_entry_fn *)(void *)(image->code + image->callback_off))(&st);
	return finish(image, rc, &st, status, ret, err);
}
