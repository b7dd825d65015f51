/* SPDX-License-Identifier: MIT */
/*
 * References (ring buffer reservations) and the facts that apply to every
 * copy of a value: null checks, released references, packet pointers made
 * stale by helpers that move the packet.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "verifier/vstate.h"

void vfor_each_reg(struct vstate *st, void (*fn)(struct vreg *reg, void *arg), void *arg)
{
	for (uint32_t fi = 0; fi <= st->curframe; fi++) {
		struct vframe *f = st->frames[fi];

		for (uint32_t r = 0; r < ISA_NR_REGS; r++)
			fn(&f->regs[r], arg);
		for (uint32_t s = 0; s < f->nslots; s++)
			if (f->stack[s].bytes[0] == SLOT_SPILL)
				fn(&f->stack[s].spilled, arg);
	}
}

int vref_acquire(struct venv *env, uint32_t insn_idx, uint32_t *id)
{
	struct vstate *st = env->cur;

	if (st->nrefs == V_MAX_REFS)
		return verr(env, 0, "submit or discard reservations sooner",
			    "more than %u references are held at once", V_MAX_REFS);
	*id = vnew_id(env);
	st->refs[st->nrefs].id = *id;
	st->refs[st->nrefs].insn_idx = insn_idx;
	st->nrefs++;
	return 0;
}

bool vref_held(const struct venv *env, uint32_t id)
{
	for (uint32_t i = 0; i < env->cur->nrefs; i++)
		if (env->cur->refs[i].id == id)
			return true;
	return false;
}

static void invalidate_ref(struct vreg *reg, void *arg)
{
	uint32_t id = *(uint32_t *)arg;

	if (reg->ref_obj_id == id)
		vreg_mark_not_init(reg);
}

int vref_release(struct venv *env, uint32_t id)
{
	struct vstate *st = env->cur;

	for (uint32_t i = 0; i < st->nrefs; i++) {
		if (st->refs[i].id != id)
			continue;
		memmove(&st->refs[i], &st->refs[i + 1], (st->nrefs - i - 1) * sizeof(st->refs[0]));
		st->nrefs--;
		vfor_each_reg(st, invalidate_ref, &id);
		return 0;
	}
	return -ENOENT;
}

struct null_arg {
	uint32_t id;
	bool is_null;
};

static void mark_null(struct vreg *reg, void *arg)
{
	struct null_arg *a = arg;

	if (reg->id != a->id || !(reg->flags & REG_MAYBE_NULL))
		return;
	if (a->is_null) {
		vreg_mark_const(reg, 0);
		return;
	}
	reg->flags &= (uint8_t)~REG_MAYBE_NULL;
	/* Map values keep their id: it names the value for bpf_spin_lock. */
	if (reg->type != PTR_TO_MAP_VALUE)
		reg->id = 0;
}

void vmark_ptr_or_null(struct venv *env, uint32_t id, bool is_null)
{
	struct null_arg a = { id, is_null };

	if (!id)
		return;
	/* A NULL reservation needs no release. */
	if (is_null) {
		struct vstate *st = env->cur;

		for (uint32_t i = 0; i < st->nrefs; i++) {
			if (st->refs[i].id == id) {
				memmove(&st->refs[i], &st->refs[i + 1],
					(st->nrefs - i - 1) * sizeof(st->refs[0]));
				st->nrefs--;
				break;
			}
		}
	}
	vfor_each_reg(env->cur, mark_null, &a);
}

static void clear_pkt(struct vreg *reg, void *arg)
{
	struct venv *env = arg;

	if (reg->type == PTR_TO_PACKET || reg->type == PTR_TO_PACKET_END ||
	    reg->type == PTR_TO_PACKET_META) {
		if (env->strict)
			vreg_mark_not_init(reg);
		else
			vreg_mark_unknown(reg);
	}
}

void vclear_packet_pointers(struct venv *env)
{
	vfor_each_reg(env->cur, clear_pkt, env);
}

int vcheck_refs_at_exit(struct venv *env)
{
	struct vstate *st = env->cur;
	char hint[160];

	if (st->lock_held)
		return verr(env, 0, "call bpf_spin_unlock() on every path before exit",
			    "the program exits while holding the spin lock taken at insn %u",
			    st->lock_insn);
	if (!st->nrefs)
		return 0;
	snprintf(hint, sizeof(hint),
		 "call bpf_ringbuf_submit() or bpf_ringbuf_discard() on every path after the "
		 "reservation at insn %u", st->refs[0].insn_idx);
	return verr(env, 0, hint,
		    "%u reference%s not released at exit: the reservation made at insn %u "
		    "(ref id %u) leaks", st->nrefs, st->nrefs == 1 ? " is" : "s are",
		    st->refs[0].insn_idx, st->refs[0].id);
}
