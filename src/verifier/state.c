/* SPDX-License-Identifier: MIT */
/*
 * States: copying, comparing and storing them. Exploration is a depth-first
 * walk; at prune points a state contained in one already proven safe ends
 * the path (the kernel's is_state_visited), and a state equal to one still
 * being explored on the same path is an infinite loop.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/vstate.h"

static struct vframe *frame_alloc(void)
{
	struct vframe *f = malloc(sizeof(*f));

	if (f) {
		memset(f, 0, offsetof(struct vframe, stack));
	}
	return f;
}

struct vstate *vstate_new(struct venv *env)
{
	struct vstate *st = calloc(1, sizeof(*st));

	(void)env;
	if (!st)
		return NULL;
	st->frames[0] = frame_alloc();
	if (!st->frames[0]) {
		free(st);
		return NULL;
	}
	return st;
}

static void frame_copy(struct vframe *dst, const struct vframe *src)
{
	memcpy(dst, src, offsetof(struct vframe, stack) + src->nslots * sizeof(struct vslot));
}

void vstate_free_frames(struct vstate *st)
{
	for (uint32_t i = 0; i < V_MAX_FRAMES; i++) {
		free(st->frames[i]);
		st->frames[i] = NULL;
	}
}

/* dst may hold frames already; they are reused. */
int vstate_copy(struct venv *env, struct vstate *dst, const struct vstate *src)
{
	struct vframe *keep[V_MAX_FRAMES];
	uint32_t i;

	(void)env;
	memcpy(keep, dst->frames, sizeof(keep));
	memcpy(dst, src, offsetof(struct vstate, refs) + src->nrefs * sizeof(struct vref));
	dst->lock_held = src->lock_held;
	dst->lock_map = src->lock_map;
	dst->lock_id = src->lock_id;
	dst->lock_off = src->lock_off;
	dst->lock_insn = src->lock_insn;
	for (i = 0; i < V_MAX_FRAMES; i++) {
		if (i <= src->curframe) {
			dst->frames[i] = keep[i] ? keep[i] : frame_alloc();
			if (!dst->frames[i]) {
				for (uint32_t j = i + 1; j < V_MAX_FRAMES; j++)
					free(keep[j]);
				return -ENOMEM;
			}
			frame_copy(dst->frames[i], src->frames[i]);
		} else {
			free(keep[i]);
			dst->frames[i] = NULL;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ comparison */

#define IDMAP_MAX 256

struct idmap {
	uint32_t n;
	uint32_t old[IDMAP_MAX], cur[IDMAP_MAX];
};

/* The ids of old must map one-to-one on those of cur. */
static bool check_ids(struct idmap *m, uint32_t old_id, uint32_t cur_id)
{
	if (!old_id && !cur_id)
		return true;
	if (!old_id || !cur_id)
		return false;
	for (uint32_t i = 0; i < m->n; i++) {
		if (m->old[i] == old_id)
			return m->cur[i] == cur_id;
		if (m->cur[i] == cur_id)
			return false;
	}
	if (m->n == IDMAP_MAX)
		return false;
	m->old[m->n] = old_id;
	m->cur[m->n++] = cur_id;
	return true;
}

static bool range_within(const struct vreg *o, const struct vreg *c)
{
	return o->umin <= c->umin && c->umax <= o->umax && o->smin <= c->smin &&
	       c->smax <= o->smax && o->u32_min <= c->u32_min && c->u32_max <= o->u32_max &&
	       o->s32_min <= c->s32_min && c->s32_max <= o->s32_max;
}

static bool range_equal(const struct vreg *o, const struct vreg *c)
{
	return o->umin == c->umin && c->umax == o->umax && o->smin == c->smin &&
	       c->smax == o->smax && o->u32_min == c->u32_min && c->u32_max == o->u32_max &&
	       o->s32_min == c->s32_min && c->s32_max == o->s32_max &&
	       o->var_off.value == c->var_off.value && o->var_off.mask == c->var_off.mask;
}

static bool regsafe(const struct vreg *o, const struct vreg *c, bool exact, struct idmap *m)
{
	if (o->type == REG_NOT_INIT)
		return !exact || c->type == REG_NOT_INIT;
	if (o->type != c->type)
		return false;
	if (o->type == REG_SCALAR) {
		if (exact)
			return range_equal(o, c);
		if (!range_within(o, c) || !tnum_in(o->var_off, c->var_off))
			return false;
		return !o->id || check_ids(m, o->id, c->id);
	}
	if (o->flags != c->flags || o->off != c->off || o->aux != c->aux ||
	    o->frameno != c->frameno)
		return false;
	if (exact ? !range_equal(o, c) : (!range_within(o, c) || !tnum_in(o->var_off, c->var_off)))
		return false;
	if ((o->type == PTR_TO_PACKET || o->type == PTR_TO_PACKET_META) &&
	    (exact ? o->range != c->range : o->range > c->range))
		return false;
	return check_ids(m, o->id, c->id) && check_ids(m, o->ref_obj_id, c->ref_obj_id);
}

static uint8_t slot_byte(const struct vframe *f, uint32_t slot, uint32_t i)
{
	return slot < f->nslots ? f->stack[slot].bytes[i] : SLOT_INVALID;
}

static bool stacksafe(const struct vframe *o, const struct vframe *c, bool exact,
		      struct idmap *m)
{
	uint32_t n = o->nslots > c->nslots ? o->nslots : c->nslots;

	for (uint32_t s = 0; s < n; s++) {
		bool spill_checked = false;

		for (uint32_t i = 0; i < V_SLOT_SIZE; i++) {
			uint8_t ob = slot_byte(o, s, i), cb = slot_byte(c, s, i);

			if (exact && ob != cb)
				return false;
			switch (ob) {
			case SLOT_INVALID:
				continue;
			case SLOT_MISC:
				if (cb == SLOT_MISC || cb == SLOT_ZERO)
					continue;
				if (cb == SLOT_SPILL && c->stack[s].spilled.type == REG_SCALAR)
					continue;
				return false;
			case SLOT_ZERO:
				if (cb == SLOT_ZERO)
					continue;
				return false;
			case SLOT_SPILL:
				if (cb != SLOT_SPILL)
					return false;
				if (!spill_checked &&
				    !regsafe(&o->stack[s].spilled, &c->stack[s].spilled, exact, m))
					return false;
				spill_checked = true;
				continue;
			}
		}
	}
	return true;
}

static bool id_shared(const struct vstate *st, uint32_t id)
{
	unsigned n = 0;

	for (uint32_t fi = 0; fi <= st->curframe; fi++) {
		const struct vframe *f = st->frames[fi];

		for (uint32_t r = 0; r < ISA_NR_REGS; r++)
			n += f->regs[r].id == id;
		for (uint32_t s = 0; s < f->nslots; s++)
			n += f->stack[s].bytes[0] == SLOT_SPILL && f->stack[s].spilled.id == id;
	}
	return n > 1;
}

/* Scalars whose value never reaches a check or a decided jump: any number
 * does as well as the one the old state had. Not one with copies in the
 * old state (same id): a jump on it narrows them too. */
static bool value_irrelevant(const struct vstate *old, const struct vreg *o, const struct vreg *c,
			     uint32_t relevant, uint32_t r)
{
	return !(relevant & (1u << r)) && o->type == REG_SCALAR && c->type == REG_SCALAR &&
	       (!o->id || !id_shared(old, o->id));
}

static bool states_contained(struct venv *env, const struct vstate *old, const struct vstate *cur,
			     bool exact, bool by_relevance)
{
	struct idmap m;

	m.n = 0;
	if (old->curframe != cur->curframe || old->nrefs != cur->nrefs ||
	    old->lock_held != cur->lock_held)
		return false;
	if (old->lock_held && (old->lock_map != cur->lock_map || old->lock_off != cur->lock_off ||
			       !check_ids(&m, old->lock_id, cur->lock_id)))
		return false;
	for (uint32_t i = 0; i < old->nrefs; i++)
		if (!check_ids(&m, old->refs[i].id, cur->refs[i].id))
			return false;
	for (uint32_t fi = 0; fi <= old->curframe; fi++) {
		const struct vframe *of = old->frames[fi], *cf = cur->frames[fi];
		uint32_t live, at;

		if (of->callsite != cf->callsite)
			return false;
		if (fi == old->curframe) {
			at = cur->insn_idx;
			live = env->live_in[at];
		} else if (old->frames[fi + 1]->cb_helper) {
			/* a callback returns to its helper call, which runs again */
			at = (uint32_t)old->frames[fi + 1]->callsite;
			live = env->live_in[at];
		} else {
			at = (uint32_t)old->frames[fi + 1]->callsite + 1;
			live = env->live_in[at] & 0x3c0;
		}
		for (uint32_t r = 0; r < ISA_REG_FP; r++) {
			if (!(live & (1u << r)))
				continue;
			if (by_relevance &&
			    value_irrelevant(old, &of->regs[r], &cf->regs[r], env->relevant_in[at], r))
				continue;
			if (!regsafe(&of->regs[r], &cf->regs[r], exact, &m))
				return false;
		}
		if (!stacksafe(of, cf, exact, &m))
			return false;
	}
	return true;
}

bool vstates_equal(struct venv *env, const struct vstate *old, const struct vstate *cur,
		   bool exact)
{
	return states_contained(env, old, cur, exact, false);
}

bool vstates_covered(struct venv *env, const struct vstate *old, const struct vstate *cur)
{
	/* computed on first need: most programs never compare a state */
	if (env->prune_by_relevance && env->relevance_stale)
		vcompute_relevance(env);
	return states_contained(env, old, cur, false, env->prune_by_relevance);
}

/* ---------------------------------------------------------- exploration */

static bool in_progress(const struct venv *env, const struct vcheckpoint *cp)
{
	if (cp->depth == 0)
		return true;
	return env->nr_pending >= cp->depth && env->pending[cp->depth - 1].seq == cp->below_seq;
}

static void free_checkpoint(struct venv *env, struct vcheckpoint *cp)
{
	vstate_free_frames(&cp->st);
	free(cp);
	env->nr_checkpoints--;
}

static bool same_frames(const struct vstate *a, const struct vstate *b)
{
	if (a->curframe != b->curframe)
		return false;
	for (uint32_t fi = 0; fi <= a->curframe; fi++)
		if (a->frames[fi]->callsite != b->frames[fi]->callsite)
			return false;
	return true;
}

/* The kernel's spacing of stored states (is_state_visited): in straight
 * code, and while going round a loop. */
#define STORE_EVERY_JMPS 2
#define STORE_EVERY_INSNS 8
#define LOOP_STORE_EVERY_JMPS 20
#define LOOP_STORE_EVERY_INSNS 100

int vis_state_visited(struct venv *env, uint32_t idx)
{
	struct vcheckpoint **link = &env->explored[idx], *cp;
	struct vstate *cur = env->cur;
	/* Back from a callback at its helper call (callbacks.c): a state
	 * contained in one that entered a round on this path adds nothing. */
	bool cb_revisit = cur->cb_revisit == idx + 1;
	const struct vcheckpoint *round_entry = NULL;
	uint32_t rounds = 0;
	bool forced = env->insn_flags[idx] & (INSN_SUBPROG_START | INSN_CALLBACK_CALL);
	/* Like the kernel, store a state only every few jumps and instructions:
	 * halves memory at little cost in pruning. "Pruning in loops" in
	 * docs/verifier.md explains this and the loop rules below. */
	bool store = forced ||
		     (env->jmps_processed - env->prev_jmps >= STORE_EVERY_JMPS &&
		      env->stats.insns_processed - env->prev_insns >= STORE_EVERY_INSNS);

	while ((cp = *link)) {
		bool busy = in_progress(env, cp);

		if (busy && cb_revisit && same_frames(&cp->st, cur)) {
			if (vstates_equal(env, &cp->st, cur, false)) {
				cp->hits++;
				env->stats.states_pruned++;
				return 1;
			}
			if (!round_entry)
				round_entry = cp;
			rounds++;
		} else if (busy) {
			/* on the current path: equal means no progress at all */
			if (cp->st.cb_rounds == cur->cb_rounds && vstates_equal(env, &cp->st, cur, true))
				return verr(env, 0,
					    "make the loop's exit condition depend on a value that "
					    "changes every iteration (a bounded counter)",
					    "infinite loop: the state at this instruction repeats "
					    "without any progress");
			/* Going round a loop: its iterations differ (the
			 * counter), so most of their states would only
			 * crowd the list; keep a sparse sample. */
			if (!forced &&
			    env->jmps_processed - env->prev_jmps < LOOP_STORE_EVERY_JMPS &&
			    env->stats.insns_processed - env->prev_insns < LOOP_STORE_EVERY_INSNS)
				store = false;
		} else if (vstates_covered(env, &cp->st, cur)) {
			cp->hits++;
			env->stats.states_pruned++;
			return 1;
		}
		/* A miss ages a state only when a new one is stored: aging
		 * at every lookup evicted a loop's states within a few
		 * iterations, before the paths branching off there came
		 * back to be pruned by them. */
		if (store)
			cp->misses++;
		/* the rounds of a callback must stay to be compared with */
		if (cp->misses > cp->hits * 3 + 3 &&
		    !(busy && (env->insn_flags[idx] & INSN_CALLBACK_CALL))) {
			/* Rarely useful: forget it to keep lookups short and memory
			 * bounded, as the kernel does. */
			*link = cp->next;
			free_checkpoint(env, cp);
			continue;
		}
		link = &cp->next;
	}

	if (round_entry && rounds >= V_CALLBACK_WIDEN_ROUNDS)
		vwiden_after_callback(env, &round_entry->st);
	if (!store)
		return 0;
	env->prev_jmps = env->jmps_processed;
	env->prev_insns = env->stats.insns_processed;

	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return -ENOMEM;
	if (vstate_copy(env, &cp->st, cur)) {
		vstate_free_frames(&cp->st);
		free(cp);
		return -ENOMEM;
	}
	cp->depth = (uint32_t)env->nr_pending;
	cp->below_seq = env->nr_pending ? env->pending[env->nr_pending - 1].seq : 0;
	cp->next = env->explored[idx];
	env->explored[idx] = cp;
	env->stats.states_explored++;
	env->nr_checkpoints++;
	if (env->nr_checkpoints + env->nr_pending > env->stats.peak_states)
		env->stats.peak_states = env->nr_checkpoints + env->nr_pending;
	return 0;
}

#define V_MAX_PENDING (64 * 1024)

int vpush_branch(struct venv *env, uint32_t insn_idx, struct vstate **out)
{
	struct vpending *p;

	if (env->nr_pending == V_MAX_PENDING)
		return verr(env, 0, "simplify the program's branching",
			    "more than %u branches are waiting to be explored", V_MAX_PENDING);
	if (env->nr_pending == env->cap_pending) {
		size_t cap = env->cap_pending ? env->cap_pending * 2 : 32;
		struct vpending *n = realloc(env->pending, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		env->pending = n;
		env->cap_pending = cap;
	}
	p = &env->pending[env->nr_pending];
	memset(p, 0, sizeof(*p));
	if (vstate_copy(env, &p->st, env->cur)) {
		vstate_free_frames(&p->st);
		return -ENOMEM;
	}
	p->st.insn_idx = insn_idx;
	p->seq = ++env->next_seq;
	env->nr_pending++;
	*out = &p->st;
	return 0;
}

void vdrop_pushed_branch(struct venv *env)
{
	vstate_free_frames(&env->pending[--env->nr_pending].st);
}

int vpop_branch(struct venv *env)
{
	vstate_free_frames(env->cur);
	if (!env->nr_pending)
		return 0;
	*env->cur = env->pending[--env->nr_pending].st;
	return 1;
}

void vfree_all_states(struct venv *env)
{
	while (env->nr_pending)
		vstate_free_frames(&env->pending[--env->nr_pending].st);
	free(env->pending);
	env->pending = NULL;
	if (env->explored) {
		for (uint32_t i = 0; i < env->cnt; i++) {
			while (env->explored[i]) {
				struct vcheckpoint *cp = env->explored[i];

				env->explored[i] = cp->next;
				free_checkpoint(env, cp);
			}
		}
	}
	if (env->cur) {
		vstate_free_frames(env->cur);
		free(env->cur);
		env->cur = NULL;
	}
}
