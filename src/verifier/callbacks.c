/* SPDX-License-Identifier: MIT */
/*
 * Helpers that call back into the program: bpf_loop, bpf_for_each_map_elem
 * (synchronous: the callback runs inside the helper, on top of the caller's
 * frames) and bpf_timer_set_callback (asynchronous: the callback runs later,
 * from nothing but its arguments).
 *
 * As the kernel does since 6.7, a synchronous callback is verified as a loop
 * around the helper call. At the call the current state continues as if the
 * callback ran zero times, and a state entering the callback with its
 * arguments is queued. When the callback exits, the state returns to the
 * helper call itself, which runs again: once more "done" (the continuation
 * after one or more rounds) and once more "call the callback". The rounds end
 * when the state coming back is contained in one that entered a round on the
 * same path (state.c prunes it): from then on nothing new can happen. Only
 * memory the callback reaches through pointers (the caller's stack, via the
 * context argument) changes between rounds; scalars there that keep changing
 * are widened to unknown after a few rounds so the rounds always end.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/vstate.h"

/* The kernel's BPF_MAX_LOOPS: bpf_loop fails with -E2BIG beyond it. */
#define V_MAX_LOOPS (1u << 23)
static const struct vcallback_desc callbacks[] = {
	{ BPF_FUNC_loop, 2, 3, false, 1, "long cb(u32 index, void *ctx)" },
	{ BPF_FUNC_for_each_map_elem, 2, 3, false, 1,
	  "long cb(struct bpf_map *map, const void *key, void *value, void *ctx)" },
	{ BPF_FUNC_timer_set_callback, 2, 0, true, 0,
	  "int cb(struct bpf_map *map, const void *key, void *value)" },
};

const struct vcallback_desc *vcallback_find(uint32_t helper_id)
{
	for (size_t i = 0; i < sizeof(callbacks) / sizeof(callbacks[0]); i++)
		if (callbacks[i].helper_id == helper_id)
			return &callbacks[i];
	return NULL;
}

int vcheck_callback_fn_arg(struct venv *env, const struct vcallback_desc *cb, uint32_t regno,
			   const char *hname)
{
	const struct vreg *reg = &cur_regs(env)[regno];
	uint32_t mask = 1u << regno;

	if (!cb || cb->func_regno != regno)
		return verr(env, mask, NULL,
			    "%s: callbacks are only supported for bpf_loop, bpf_for_each_map_elem "
			    "and bpf_timer_set_callback", hname);
	if (reg->type != PTR_TO_FUNC)
		return verr(env, mask, "pass a static function by name (clang emits lddw src=4)",
			    "%s: r%u must be the callback's code address, not %s", hname, regno,
			    vreg_type_name(reg));
	if (reg->off || !tnum_equals_const(reg->var_off, 0))
		return verr(env, mask, NULL, "%s: r%u must point to the start of a function",
			    hname, regno);
	if (reg->aux == 0)
		return verr(env, mask, "make the callback a separate (static) function",
			    "%s: the callback cannot be the program's entry function", hname);
	return 0;
}

int vcheck_callback_ctx_arg(struct venv *env, uint32_t regno, const char *hname)
{
	const struct vreg *reg = &cur_regs(env)[regno];

	if (reg->type == PTR_TO_STACK)
		return 0;
	if (reg->type == REG_SCALAR && tnum_equals_const(reg->var_off, 0))
		return 0;
	return verr(env, 1u << regno, "pass the address of a local variable (or NULL)",
		    "%s: the callback context in r%u must be a stack pointer or NULL, not %s",
		    hname, regno, vreg_type_name(reg));
}

/* bpf_loop's index: u32 nr_loops, at most V_MAX_LOOPS rounds. */
static int loop_index(struct venv *env, const struct vreg *nr, const char *hname,
		      struct vreg *index)
{
	uint64_t n = V_MAX_LOOPS;

	if (nr->type == REG_SCALAR) {
		if (nr->u32_min > V_MAX_LOOPS)
			return verr(env, 1u << 1, "split the work: at most 1 << 23 iterations per bpf_loop",
				    "%s: nr_loops (r1) is at least %u, more than the %u iterations "
				    "bpf_loop runs; the call would always fail with -E2BIG",
				    hname, nr->u32_min, V_MAX_LOOPS);
		if (nr->u32_max < n)
			n = nr->u32_max;
	}
	vreg_mark_unknown(index);
	index->var_off = tnum_range(0, n ? n - 1 : 0);
	index->umax = n ? n - 1 : 0;
	vreg_bounds_sync(index);
	return 0;
}

static void mark_map_ptr(struct vreg *reg, uint32_t map_idx)
{
	vreg_mark_const(reg, 0);
	reg->type = CONST_PTR_TO_MAP;
	reg->aux = map_idx;
}

static void mark_key_value(struct venv *env, struct vreg *regs, uint32_t map_idx,
			   uint32_t frameno)
{
	vreg_mark_const(&regs[2], 0);
	regs[2].type = PTR_TO_MEM;
	regs[2].flags = REG_RDONLY | REG_MAP_KEY;
	regs[2].aux = env->maps[map_idx].key_size;
	/* the key may live in the helper's own memory: valid only while this
	 * callback frame runs (see drop_dead_frame_ptr) */
	regs[2].frameno = (uint8_t)frameno;
	vreg_mark_const(&regs[3], 0);
	regs[3].type = PTR_TO_MAP_VALUE;
	regs[3].aux = map_idx;
	/* names the value for bpf_spin_lock */
	regs[3].id = vnew_id(env);
}

static struct vframe *new_frame(uint32_t frameno, uint32_t callsite, uint32_t subprog,
				uint32_t helper_id, uint32_t nrefs)
{
	struct vframe *f = malloc(sizeof(*f));

	if (!f)
		return NULL;
	memset(f, 0, offsetof(struct vframe, stack));
	for (int r = 0; r < ISA_NR_REGS; r++)
		vreg_mark_not_init(&f->regs[r]);
	vreg_mark_const(&f->regs[ISA_REG_FP], 0);
	f->regs[ISA_REG_FP].type = PTR_TO_STACK;
	f->regs[ISA_REG_FP].frameno = (uint8_t)frameno;
	f->callsite = (int32_t)callsite;
	f->subprog = subprog;
	f->cb_helper = helper_id;
	f->cb_nrefs = nrefs;
	return f;
}

/* Remembers that `callee` runs on top of a frame of `caller`. */
static int add_cb_edge(struct venv *env, uint32_t caller, uint32_t callee, uint32_t insn)
{
	for (uint32_t i = 0; i < env->nr_cb_edges; i++)
		if (env->cb_edges[i].caller == caller && env->cb_edges[i].callee == callee)
			return 0;
	if (env->nr_cb_edges == env->cap_cb_edges) {
		uint32_t cap = env->cap_cb_edges ? env->cap_cb_edges * 2 : 8;
		struct vcb_edge *e = realloc(env->cb_edges, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		env->cb_edges = e;
		env->cap_cb_edges = cap;
	}
	env->cb_edges[env->nr_cb_edges].caller = caller;
	env->cb_edges[env->nr_cb_edges].callee = callee;
	env->cb_edges[env->nr_cb_edges].insn = insn;
	env->nr_cb_edges++;
	return 0;
}

int vpush_callback(struct venv *env, const struct vcallback_desc *cb, uint32_t insn_idx,
		   const char *hname)
{
	const struct vreg *caller = cur_regs(env);
	uint32_t subprog = caller[cb->func_regno].aux, frameno = cb->async ? 0 : env->cur->curframe + 1;
	struct vreg index, *regs;
	struct vstate *st;
	struct vframe *f;
	int ret;

	vreg_mark_not_init(&index);
	if (!cb->async && frameno >= V_MAX_FRAMES)
		return verr(env, 0, "call the helper from a shallower function",
			    "%s: the callback would run in frame %u, but at most %u frames may be "
			    "active", hname, frameno + 1, V_MAX_FRAMES);
	if (cb->helper_id == BPF_FUNC_loop) {
		ret = loop_index(env, &caller[1], hname, &index);
		if (ret)
			return ret;
	}
	if (!cb->async) {
		ret = add_cb_edge(env, cur_frame(env)->subprog, subprog, insn_idx);
		if (ret)
			return ret;
	}
	ret = vpush_branch(env, env->subprogs[subprog].start, &st);
	if (ret)
		return ret;
	if (cb->async) {
		/* runs later, with nothing of the caller's but its arguments */
		vstate_free_frames(st);
		st->curframe = 0;
		st->nrefs = 0;
		st->lock_held = false;
	}
	st->cb_revisit = 0;
	f = new_frame(frameno, insn_idx, subprog, cb->helper_id, st->nrefs);
	if (!f) {
		vdrop_pushed_branch(env);
		return -ENOMEM;
	}
	st->frames[frameno] = f;
	st->curframe = frameno;
	env->subprogs[subprog].cb_use |= cb->async ? CB_USE_ASYNC : CB_USE_SYNC;

	regs = f->regs;
	switch (cb->helper_id) {
	case BPF_FUNC_loop:
		regs[1] = index;
		regs[2] = caller[3];
		break;
	case BPF_FUNC_for_each_map_elem:
		mark_map_ptr(&regs[1], caller[1].aux);
		mark_key_value(env, regs, caller[1].aux, frameno);
		regs[4] = caller[3];
		break;
	case BPF_FUNC_timer_set_callback:
		/* the map holding the timer (r1 points into its value) */
		mark_map_ptr(&regs[1], caller[1].aux);
		mark_key_value(env, regs, caller[1].aux, frameno);
		break;
	default:
		break;
	}
	return 0;
}

const struct vframe *vcallback_frame(const struct venv *env)
{
	for (uint32_t fi = env->cur->curframe + 1; fi-- > 0;)
		if (env->cur->frames[fi]->cb_helper)
			return env->cur->frames[fi];
	return NULL;
}

int vcheck_callback_release(struct venv *env, uint32_t id, const char *hname)
{
	const struct vframe *f = vcallback_frame(env);

	if (!f)
		return 0;
	for (uint32_t i = 0; i < f->cb_nrefs && i < env->cur->nrefs; i++)
		if (env->cur->refs[i].id == id)
			return verr(env, 0, "release it in the function that took it, after the helper returns",
				    "%s inside a callback releases the reservation its caller made at "
				    "insn %u; a callback may only release references it took itself",
				    hname, env->cur->refs[i].insn_idx);
	return 0;
}

struct dead_frame {
	uint32_t frameno;
};

/* Pointers into the finished callback's stack, and to the key the helper
 * handed it, are gone with the frame. */
static void drop_dead_frame_ptr(struct vreg *reg, void *arg)
{
	const struct dead_frame *d = arg;

	if (reg->frameno >= d->frameno &&
	    (reg->type == PTR_TO_STACK || (reg->type == PTR_TO_MEM && (reg->flags & REG_MAP_KEY))))
		vreg_mark_not_init(reg);
}

static const char *helper_of(uint32_t id)
{
	switch (id) {
	case BPF_FUNC_loop: return "bpf_loop";
	case BPF_FUNC_for_each_map_elem: return "bpf_for_each_map_elem";
	case BPF_FUNC_timer_set_callback: return "bpf_timer_set_callback";
	default: return "the helper";
	}
}

int vcallback_exit(struct venv *env, uint32_t *next)
{
	struct vstate *st = env->cur;
	struct vframe *f = st->frames[st->curframe];
	const struct vcallback_desc *cb = vcallback_find(f->cb_helper);
	const struct vreg *r0 = &f->regs[0];
	const char *hname = helper_of(f->cb_helper);
	char buf[160], hint[160];
	struct dead_frame d;
	int ret;

	if (!cb)
		return verr(env, 0, NULL, "internal error: callback frame of unknown helper %u",
			    f->cb_helper);
	if (cb->ret_max)
		snprintf(hint, sizeof(hint), "return 0 to continue or 1 to stop");
	else
		snprintf(hint, sizeof(hint), "return 0");
	if (vreg_is_pointer(r0))
		return verr(env, 1, hint, "the callback of %s must return a number in [0, %d], not %s",
			    hname, cb->ret_max, vreg_type_name(r0));
	if (r0->smin < 0 || r0->smax > cb->ret_max || r0->umax > (uint64_t)cb->ret_max) {
		vreg_snprint(env, buf, sizeof(buf), r0);
		return verr(env, 1, hint,
			    "the callback of %s may return %s, but it must return a value in [0, %d]",
			    hname, buf, cb->ret_max);
	}
	if (cb->async) {
		/* frame 0 of its own state: the program's exit rules for references */
		ret = vcheck_refs_at_exit(env);
		if (ret)
			return ret;
		*next = UINT32_MAX;
		return 0;
	}
	if (st->nrefs > f->cb_nrefs)
		return verr(env, 0, "submit or discard the reservation before the callback returns",
			    "the callback of %s returns without releasing the reservation made at "
			    "insn %u", hname, st->refs[f->cb_nrefs].insn_idx);
	*next = (uint32_t)f->callsite;
	st->cb_revisit = (uint32_t)f->callsite + 1;
	st->cb_rounds++;
	free(f);
	st->frames[st->curframe] = NULL;
	d.frameno = st->curframe;
	st->curframe--;
	vfor_each_reg(st, drop_dead_frame_ptr, &d);
	return 0;
}

/* ------------------------------------------------------------ widening */

static bool scalar_exact(const struct vreg *a, const struct vreg *b)
{
	return a->umin == b->umin && a->umax == b->umax && a->smin == b->smin &&
	       a->smax == b->smax && a->u32_min == b->u32_min && a->u32_max == b->u32_max &&
	       a->s32_min == b->s32_min && a->s32_max == b->s32_max &&
	       a->var_off.value == b->var_off.value && a->var_off.mask == b->var_off.mask;
}

static void widen(const struct vreg *old, struct vreg *cur)
{
	if (old->type == REG_SCALAR && cur->type == REG_SCALAR && !scalar_exact(old, cur))
		vreg_mark_unknown(cur);
}

void vwiden_after_callback(struct venv *env, const struct vstate *entry)
{
	struct vstate *cur = env->cur;

	if (entry->curframe != cur->curframe)
		return;
	for (uint32_t fi = 0; fi <= cur->curframe; fi++) {
		const struct vframe *of = entry->frames[fi];
		struct vframe *cf = cur->frames[fi];
		uint32_t n = of->nslots < cf->nslots ? of->nslots : cf->nslots;

		if (of->callsite != cf->callsite)
			return;
		for (uint32_t r = 0; r < ISA_REG_FP; r++)
			widen(&of->regs[r], &cf->regs[r]);
		for (uint32_t s = 0; s < n; s++)
			if (of->stack[s].bytes[0] == SLOT_SPILL && cf->stack[s].bytes[0] == SLOT_SPILL)
				widen(&of->stack[s].spilled, &cf->stack[s].spilled);
	}
}
