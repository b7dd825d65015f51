/* SPDX-License-Identifier: MIT */
/*
 * The C functions JIT code calls on its rare paths: the bounds check for
 * memory outside the stack and the input, and the resolution of callx
 * targets. Both mirror the checked interpreter (src/interp/loop.h).
 */
#include "jit/jit_internal.h"

/* The region of `regions` holding [addr, addr + size) with the access's
 * permission, NULL if none. */
static const struct uebpf_region *find_region(const struct uebpf_region *regions, size_t nr,
					      uint64_t addr, uint32_t size, bool write)
{
	for (size_t i = 0; i < nr; i++) {
		uint64_t lo = (uintptr_t)regions[i].addr, rel = addr - lo;

		if ((regions[i].writable || !write) && rel < regions[i].len &&
		    regions[i].len - rel >= size)
			return &regions[i];
	}
	return NULL;
}

bool jit_access_slow(struct jit_state *state, uint64_t addr, uint32_t size_write)
{
	const struct uebpf_run_ctx *rc = state->rc;
	uint32_t size = size_write & 0xff;
	bool write = (size_write >> 8) & 1;
	const struct uebpf_region *hot;

	if (!run_ctx_access_ok(rc, addr, size, write))
		return false;
	/* Remember the region for the inline test when it cannot change
	 * during the run (helper grants can: they are never cached). */
	hot = find_region(rc->regions, rc->nr_regions, addr, size, write);
	if (!hot && rc->prog)
		hot = find_region(rc->prog->static_regions, rc->prog->nr_static_regions, addr,
				  size, write);
	if (hot) {
		uint64_t lo = (uintptr_t)hot->addr;

		jit_state_set_bounds(&state->hot_lo, state->hot_last, lo, lo + hot->len, true);
		if (hot->writable)
			jit_state_set_bounds(&state->hotw_lo, state->hotw_last, lo, lo + hot->len,
					     true);
	}
	return true;
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
