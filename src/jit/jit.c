/* SPDX-License-Identifier: MIT */
/*
 * JIT images: compiling into executable memory (W^X: the code is written
 * while the mapping is read-write, then the mapping becomes read-execute
 * and stays so until it is unmapped), running, and turning a stop of the
 * generated code into the same error the interpreter gives.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/error.h"
#include "jit/jit_internal.h"

static const char *prog_name(const struct uebpf_prog *prog)
{
	return prog && prog->name ? prog->name : "";
}

int jit_compile_opts(const struct uebpf_prog *prog, const struct jit_opts *opts,
		     struct jit_image **out, struct uebpf_error *err)
{
	struct jit_code code;
	struct jit_image *image;
	long page = sysconf(_SC_PAGESIZE);
	size_t map_len;
	void *mem;
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
	if (page <= 0)
		page = 4096;
	map_len = (code.len + (size_t)page - 1) / (size_t)page * (size_t)page;
	mem = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		ret = -errno;
		jit_code_release(&code);
		free(image);
		return uebpf_err(err, ret, "program '%s': cannot map %zu bytes for JIT code: %s",
				 prog_name(prog), map_len, strerror(-ret));
	}
	memcpy(mem, code.bytes, code.len);
	memset((uint8_t *)mem + code.len, 0xcc, map_len - code.len);  /* int3 padding */
	if (mprotect(mem, map_len, PROT_READ | PROT_EXEC)) {
		ret = -errno;
		munmap(mem, map_len);
		jit_code_release(&code);
		free(image);
		return uebpf_err(err, ret,
				 "program '%s': cannot make JIT code executable (mprotect): %s; "
				 "a security policy may forbid executable mappings",
				 prog_name(prog), strerror(-ret));
	}
	free(code.bytes);
	image->code = mem;
	image->code_len = code.len;
	image->map_len = map_len;
	image->insn_off = code.insn_off;
	image->insn_cnt = prog->insn_cnt;
	image->body_off = code.body_off;
	image->stubs_off = code.stubs_off;
	image->is_func_entry = code.is_func_entry;
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
	if (image->code)
		munmap(image->code, image->map_len);
	free(image->insn_off);
	free(image->is_func_entry);
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

bool jit_image_checked(const struct jit_image *image)
{
	return image->checked;
}

int jit_run(const struct jit_image *image, struct uebpf_run_ctx *rc,
	    uint64_t r1, uint64_t r2, uint64_t *ret, struct uebpf_error *err)
{
	struct jit_state st;
	jit_entry_fn *entry;
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

	memset(&st, 0, sizeof(st));
	jit_state_set_bounds(&st.stack_lo, st.stack_last, rc->stack_lo, rc->stack_hi, true);
	jit_state_set_bounds(&st.mem_lo, st.mem_last, rc->mem_lo, rc->mem_hi, true);
	jit_state_set_bounds(&st.memw_lo, st.memw_last, rc->mem_lo, rc->mem_hi, rc->mem_writable);
	jit_state_set_bounds(&st.hot_lo, st.hot_last, 0, 0, false);
	jit_state_set_bounds(&st.hotw_lo, st.hotw_last, 0, 0, false);
	st.budget = rc->budget_left > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)rc->budget_left;
	st.rc = rc;
	st.r1 = r1;
	st.r2 = r2;
	st.fp = rc->stack_hi;
	st.pkt_data = rc->pkt_data;
	st.pkt_len = rc->pkt_len;
	st.helpers = image->prog ? image->prog->helpers : NULL;
	st.image = image;

	entry = (jit_entry_fn *)(void *)image->code;
	status = entry(&st);

	switch (status) {
	case JIT_STATUS_EXIT:
	case JIT_STATUS_EXIT_REQUESTED:
	case JIT_STATUS_PKT_OUT:
		if (image->checked)
			rc->budget_left = (uint64_t)st.budget;   /* >= 0: checked before stopping */
		*ret = status == JIT_STATUS_EXIT ? st.r0
		       : status == JIT_STATUS_EXIT_REQUESTED ? rc->exit_value : 0;
		return 0;
	case JIT_STATUS_FAULT_ACCESS:
		return run_ctx_fault_access(rc, err, st.fault_insn, st.fault_addr,
					    (uint32_t)(st.fault_info & 0xff),
					    (st.fault_info >> 8) & 1);
	case JIT_STATUS_FAULT_BUDGET: {
		uint64_t budget = rc->budget_left;

		rc->budget_left = 0;
		return run_ctx_fault_budget(rc, err, st.fault_insn, budget);
	}
	case JIT_STATUS_FAULT_MISALIGNED:
		return run_ctx_fault_misaligned(rc, err, st.fault_insn, st.fault_addr,
						(uint32_t)(st.fault_info & 0xff));
	case JIT_STATUS_FAULT_DEPTH:
		return run_ctx_fault_depth(rc, err, st.fault_insn);
	case JIT_STATUS_FAULT_CALLX:
		return run_ctx_fault_callx(rc, err, st.fault_insn, st.fault_addr);
	default:
		return uebpf_err(err, -EFAULT,
				 "program '%s': internal JIT error: unknown stop status %d at insn %llu",
				 prog_name(image->prog), status, (unsigned long long)st.fault_insn);
	}
}
