/* SPDX-License-Identifier: MIT */
/*
 * Control flow: functions (bpf-to-bpf sub-programs), jumps that stay inside
 * their function, no unreachable instructions, no falling off a function's
 * end, no recursion, loops only when allowed (privileged), the combined
 * stack of every call chain, prune points, and register liveness (which
 * makes state pruning effective).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/vstate.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static bool is_func_lddw(const struct bpf_insn *insn)
{
	return isa_is_lddw(insn) && insn->src_reg == BPF_PSEUDO_FUNC;
}

static int find_subprogs(struct venv *env)
{
	uint32_t *starts, n = 0, i;

	starts = malloc((env->cnt + 1) * sizeof(*starts));
	if (!starts)
		return -ENOMEM;
	starts[n++] = 0;
	for (i = 0; i < env->cnt; i++) {
		const struct bpf_insn *insn = &env->insns[i];

		if (isa_is_local_call(insn) || is_func_lddw(insn))
			starts[n++] = (uint32_t)((int64_t)i + 1 + insn->imm);
		if (isa_is_lddw(insn))
			env->insn_flags[++i] |= INSN_SECOND_SLOT;
	}
	qsort(starts, n, sizeof(*starts), cmp_u32);
	env->subprogs = calloc(n, sizeof(*env->subprogs));
	if (!env->subprogs) {
		free(starts);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		if (env->nr_subprogs && env->subprogs[env->nr_subprogs - 1].start == starts[i])
			continue;
		env->subprogs[env->nr_subprogs++].start = starts[i];
	}
	free(starts);
	for (i = 0; i < env->nr_subprogs; i++) {
		struct vsubprog *sp = &env->subprogs[i];

		sp->end = i + 1 < env->nr_subprogs ? env->subprogs[i + 1].start : env->cnt;
		env->insn_flags[sp->start] |= INSN_SUBPROG_START | INSN_PRUNE_POINT;
		for (uint32_t j = sp->start; j < sp->end; j++)
			env->insn_subprog[j] = i;
	}
	return 0;
}

static int check_subprog_shape(struct venv *env)
{
	for (uint32_t s = 0; s < env->nr_subprogs; s++) {
		const struct vsubprog *sp = &env->subprogs[s];
		uint32_t last = sp->end - 1;

		if (env->insn_flags[last] & INSN_SECOND_SLOT)
			last--;
		if (!isa_is_exit(env->insns[last].code) && !isa_is_ja(env->insns[last].code))
			return verr_at(env, -EINVAL, last, 0,
				       "end every function with exit (or a jump back)",
				       "the last instruction of the function at insn %u is not exit or a "
				       "jump: control would run into the next function at insn %u",
				       sp->start, sp->end);
		for (uint32_t i = sp->start; i < sp->end; i++) {
			const struct bpf_insn *insn = &env->insns[i];
			int64_t t;

			if (env->insn_flags[i] & INSN_SECOND_SLOT)
				continue;
			if (!isa_is_jmp(insn->code) || isa_op(insn->code) == BPF_CALL ||
			    isa_op(insn->code) == BPF_EXIT)
				continue;
			t = isa_branch_target(insn, i);
			if (t < sp->start || t >= sp->end)
				return verr_at(env, -EINVAL, i, 0, "use a call to reach another function",
					       "the jump to insn %lld leaves the function at insn %u..%u",
					       (long long)t, sp->start, sp->end - 1);
		}
		if (isa_is_callx(&env->insns[sp->start]))
			continue;
	}
	for (uint32_t i = 0; i < env->cnt; i++)
		if (isa_is_callx(&env->insns[i]) && !(env->insn_flags[i] & INSN_SECOND_SLOT))
			return verr_at(env, -EINVAL, i, 0, "call functions directly (call local)",
				       "indirect calls (callx) cannot be verified");
	return 0;
}

/* Successors of insn i inside its function; returns how many (0..2). */
int vinsn_successors(const struct venv *env, uint32_t i, uint32_t succ[2])
{
	const struct bpf_insn *insn = &env->insns[i];
	int n = 0;

	if (isa_is_exit(insn->code))
		return 0;
	if (isa_is_lddw(insn)) {
		succ[n++] = i + 2;
		return n;
	}
	if (isa_is_ja(insn->code)) {
		succ[n++] = (uint32_t)isa_branch_target(insn, i);
		return n;
	}
	succ[n++] = i + 1;
	if (isa_is_cond_jmp(insn->code))
		succ[n++] = (uint32_t)isa_branch_target(insn, i);
	return n;
}

/* Depth-first walk of one function: marks reached instructions and finds
 * back edges (loops). */
static int walk_function(struct venv *env, uint32_t start, uint8_t *color, uint32_t *stack,
			 uint8_t *edge, bool *reached_fn)
{
	uint32_t sp = 0;

	if (color[start])
		return 0;
	stack[sp++] = start;
	color[start] = 1;
	edge[start] = 0;
	while (sp) {
		uint32_t i = stack[sp - 1], succ[2];
		int n = vinsn_successors(env, i, succ);
		const struct bpf_insn *insn = &env->insns[i];

		if (isa_is_local_call(insn) || is_func_lddw(insn))
			reached_fn[env->insn_subprog[(uint32_t)((int64_t)i + 1 + insn->imm)]] = true;
		/* calls return here: a natural place to compare states */
		if (isa_op(insn->code) == BPF_CALL && isa_class(insn->code) == BPF_JMP && i + 1 < env->cnt)
			env->insn_flags[i + 1] |= INSN_PRUNE_POINT;
		/* a synchronous callback returns to the helper call: the head of a loop */
		if (isa_is_helper_call(insn) && vcallback_find((uint32_t)insn->imm) &&
		    !vcallback_find((uint32_t)insn->imm)->async)
			env->insn_flags[i] |= INSN_PRUNE_POINT | INSN_CALLBACK_CALL;
		if (edge[i] < n) {
			uint32_t t = succ[edge[i]++];

			if (n == 2 || isa_is_ja(insn->code))
				env->insn_flags[t] |= INSN_PRUNE_POINT;
			if (color[t] == 1) {
				if (env->strict)
					return verr_at(env, -EINVAL, i, 0,
						       "loops are only allowed in privileged mode; unroll it",
						       "back-edge from insn %u to insn %u: loops are not "
						       "allowed in strict (unprivileged) mode", i, t);
				continue;
			}
			if (color[t] == 0) {
				color[t] = 1;
				edge[t] = 0;
				stack[sp++] = t;
			}
			continue;
		}
		color[i] = 2;
		sp--;
	}
	return 0;
}

static int check_recursion(struct venv *env, uint32_t s, uint8_t *state)
{
	if (state[s] == 2)
		return 0;
	if (state[s] == 1)
		return verr_at(env, -EINVAL, env->subprogs[s].start, 0,
			       "rewrite the recursion as a bounded loop",
			       "recursive call: the function at insn %u calls itself (directly or not)",
			       env->subprogs[s].start);
	state[s] = 1;
	for (uint32_t i = env->subprogs[s].start; i < env->subprogs[s].end; i++) {
		const struct bpf_insn *insn = &env->insns[i];

		if (isa_is_local_call(insn) && !(env->insn_flags[i] & INSN_SECOND_SLOT)) {
			int ret = check_recursion(env, env->insn_subprog[i + 1 + insn->imm], state);

			if (ret)
				return ret;
		}
	}
	state[s] = 2;
	return 0;
}

int vcheck_cfg(struct venv *env)
{
	uint8_t *color = NULL, *edge = NULL, *rstate = NULL;
	uint32_t *stack = NULL;
	bool *reached = NULL;
	int ret;

	ret = find_subprogs(env);
	if (ret)
		return ret;
	ret = check_subprog_shape(env);
	if (ret)
		return ret;

	color = calloc(env->cnt, 1);
	edge = calloc(env->cnt, 1);
	stack = calloc(env->cnt, sizeof(*stack));
	reached = calloc(env->nr_subprogs, sizeof(*reached));
	rstate = calloc(env->nr_subprogs, 1);
	if (!color || !edge || !stack || !reached || !rstate) {
		ret = -ENOMEM;
		goto out;
	}
	reached[0] = true;
	/* Functions reached from reached functions, until nothing changes. */
	for (bool changed = true; changed;) {
		changed = false;
		for (uint32_t s = 0; s < env->nr_subprogs; s++) {
			if (!reached[s] || color[env->subprogs[s].start])
				continue;
			ret = walk_function(env, env->subprogs[s].start, color, stack, edge, reached);
			if (ret)
				goto out;
			changed = true;
		}
	}
	for (uint32_t i = 0; i < env->cnt; i++) {
		if (!color[i] && !(env->insn_flags[i] & INSN_SECOND_SLOT)) {
			ret = verr_at(env, -EINVAL, i, 0, "remove dead code (or the jump that skips it)",
				      "unreachable instruction: no path from the entry reaches insn %u", i);
			goto out;
		}
	}
	ret = check_recursion(env, 0, rstate);
out:
	free(color);
	free(edge);
	free(stack);
	free(reached);
	free(rstate);
	return ret;
}

/* --------------------------------------------------------------- liveness */

uint16_t vhelper_arg_regs(const struct venv *env, const struct bpf_insn *insn)
{
	uint32_t flags;
	const struct uebpf_helper_proto *p = vhelper_proto(env, (uint32_t)insn->imm, &flags);
	uint16_t use = 0;

	if (!p)
		return 0x3e;
	for (int a = 0; a < 5; a++)
		if (p->args[a] != UEBPF_ARG_NONE)
			use |= (uint16_t)(1u << (a + 1));
	return use;
}

static void use_def(const struct venv *env, uint32_t i, uint16_t *use, uint16_t *def)
{
	const struct bpf_insn *insn = &env->insns[i];
	uint8_t cls = isa_class(insn->code);
	uint16_t d = (uint16_t)(1u << insn->dst_reg), s = (uint16_t)(1u << insn->src_reg);

	*use = *def = 0;
	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (isa_op(insn->code) == BPF_MOV) {
			*use = isa_src(insn->code) == BPF_X ? s : 0;
		} else {
			*use = d | (isa_src(insn->code) == BPF_X && isa_op(insn->code) != BPF_END &&
				    isa_op(insn->code) != BPF_NEG ? s : 0);
		}
		*def = d;
		return;
	case BPF_LDX:
		*use = s;
		*def = d;
		return;
	case BPF_ST:
		*use = d;
		return;
	case BPF_STX:
		*use = d | s;
		if (isa_mode(insn->code) == BPF_ATOMIC) {
			if (insn->imm == BPF_CMPXCHG) {
				*use |= 1;
				*def = 1;
			} else if (insn->imm & BPF_FETCH) {
				*def = s;
			}
		}
		return;
	case BPF_LD:
		if (isa_is_lddw(insn)) {
			*def = d;
			return;
		}
		*use = 1u << 6 | (isa_mode(insn->code) == BPF_IND ? s : 0);
		*def = 0x3f;
		return;
	default: /* jumps */
		if (isa_is_exit(insn->code)) {
			*use = 1;
			return;
		}
		if (isa_op(insn->code) == BPF_CALL) {
			*use = isa_is_helper_call(insn) ? vhelper_arg_regs(env, insn) : 0x3e;
			*def = 0x3f;
			return;
		}
		if (isa_is_ja(insn->code))
			return;
		*use = d | (isa_src(insn->code) == BPF_X ? s : 0);
		return;
	}
}

void vcompute_liveness(struct venv *env)
{
	bool changed = true;

	memset(env->live_in, 0, env->cnt * sizeof(*env->live_in));
	while (changed) {
		changed = false;
		for (uint32_t k = env->cnt; k-- > 0;) {
			uint32_t succ[2];
			uint16_t use, def, out = 0, in;
			int n;

			if (env->insn_flags[k] & INSN_SECOND_SLOT)
				continue;
			n = vinsn_successors(env, k, succ);
			for (int j = 0; j < n; j++)
				if (succ[j] < env->cnt)
					out |= env->live_in[succ[j]];
			use_def(env, k, &use, &def);
			in = (uint16_t)(use | (out & ~def));
			if (in != env->live_in[k]) {
				env->live_in[k] = in;
				changed = true;
			}
		}
	}
}

/* ------------------------------------------------------------ stack depth */

static uint32_t frame_bytes(const struct vsubprog *sp)
{
	uint32_t d = sp->stack_depth ? sp->stack_depth : 1;

	return (d + 31) & ~31u;   /* the kernel accounts frames in 32-byte units */
}

/* The deepest call chain found so far: its bytes, frames, and the call
 * (or callback reference) that entered its last frame, for the message. */
struct chain_worst {
	uint32_t bytes, calls;
	long via_insn;
};

static void chain_depth(struct venv *env, uint32_t s, uint32_t above, uint32_t depth, long via_insn,
			struct chain_worst *w)
{
	uint32_t total = above + frame_bytes(&env->subprogs[s]);

	if (total > w->bytes) {
		w->bytes = total;
		w->calls = depth;
		w->via_insn = via_insn;
	}
	if (depth >= V_MAX_FRAMES)
		return;
	for (uint32_t i = env->subprogs[s].start; i < env->subprogs[s].end; i++) {
		const struct bpf_insn *insn = &env->insns[i];

		if (!(env->insn_flags[i] & INSN_SEEN))
			continue;
		if (isa_is_local_call(insn) && !(env->insn_flags[i] & INSN_SECOND_SLOT))
			chain_depth(env, env->insn_subprog[i + 1 + insn->imm], total, depth + 1, i, w);
	}
	/* a synchronous callback runs on top of the frame calling its helper */
	for (uint32_t e = 0; e < env->nr_cb_edges; e++)
		if (env->cb_edges[e].caller == s)
			chain_depth(env, env->cb_edges[e].callee, total, depth + 1,
				    env->cb_edges[e].insn, w);
}

int vcheck_stack_depth(struct venv *env)
{
	struct chain_worst w = { 0, 1, -1 };

	chain_depth(env, 0, 0, 1, -1, &w);
	/* asynchronous callbacks (timers) start a stack of their own */
	for (uint32_t s = 1; s < env->nr_subprogs; s++)
		if (env->subprogs[s].cb_use & CB_USE_ASYNC)
			chain_depth(env, s, 0, 1, -1, &w);
	env->stats.max_stack_depth = w.bytes;
	if (w.bytes > V_STACK_SIZE)
		/* named at the call that makes it too deep, so the message has a source line */
		return verr_at(env, -EACCES, w.via_insn, 0,
			       "use fewer or smaller stack buffers along the call chain",
			       "the combined stack of a chain of %u calls is %u bytes; at most %u are allowed",
			       w.calls, w.bytes, V_STACK_SIZE);
	return 0;
}
