/* SPDX-License-Identifier: MIT */
/*
 * The C functions JIT code calls on its rare paths: the bounds check for
 * memory outside the stack and the input, and the resolution of callx
 * targets. Both mirror the checked interpreter (src/interp/loop.h).
 */
#include "jit/jit_internal.h"

bool jit_access_slow(const struct jit_state *state, uint64_t addr, uint32_t size_write)
{
	return run_ctx_access_ok(state->rc, addr, size_write & 0xff, (size_write >> 8) & 1);
}

struct jit_callx_target jit_callx_resolve(struct jit_state *state, uint64_t value)
{
	struct jit_callx_target target = { 0, 0 };
	const struct jit_image *image = state->image;

	if (value <= UINT32_MAX) {
		const struct uebpf_helper_proto *proto =
			uebpf_helper_set_find(state->helpers, (uint32_t)value);

		if (proto && proto->fn) {
			target.addr = (uint64_t)(uintptr_t)proto->fn;
			return target;
		}
	} else if ((value & PROG_CODE_ADDR_TAG_MASK) == PROG_CODE_ADDR_TAG) {
		uint64_t idx = value & ~PROG_CODE_ADDR_TAG_MASK;

		if (idx < image->insn_cnt && image->is_func_entry[idx]) {
			target.addr = (uint64_t)(uintptr_t)(image->code + image->insn_off[idx]);
			target.is_local = 1;
			return target;
		}
	}
	state->fault_addr = value;
	return target;
}
