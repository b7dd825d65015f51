/* SPDX-License-Identifier: MIT */
/*
 * Which registers' values matter for safety ("precision", simplified): a
 * backward dataflow over the CFG computes, per instruction, the registers
 * whose value may flow into a use that decides safety or control flow.
 * Scalars outside that set may take any value without changing which
 * checks pass or which paths the verifier walks, so pruning compares them
 * by type only (state.c). See "Verification speed" in docs/verifier.md for
 * why this is sound.
 *
 * Two kinds of uses are only known while walking: a conditional jump
 * matters when the verifier followed only one of its directions (its
 * outcome was decided by the operands' values), an ALU instruction when a
 * pointer took part (its checks depend on the scalar). The walk flags them
 * (vmark_operands_matter) and the sets grow; they are recomputed before the
 * next comparison. They only ever grow, so a set computed later is at least
 * as strict as the one any finished state's exploration needed.
 */
#include "verifier/vstate.h"

#define R0 (1u << 0)
#define ARG_REGS 0x3eu             /* r1-r5 */
#define CALLER_SAVED 0x3fu         /* r0-r5 */

void vmark_operands_matter(struct venv *env, uint32_t idx)
{
	if (env->insn_flags[idx] & INSN_OPERANDS_MATTER)
		return;
	env->insn_flags[idx] |= INSN_OPERANDS_MATTER;
	env->relevance_stale = true;
}

static bool exit_value_matters(const struct venv *env, uint32_t idx)
{
	/* a function's result flows into its caller, a callback's is
	 * range-checked; only the program's own may be "any" */
	return env->insn_subprog[idx] != 0 || vret_range_applies(env);
}

/* Registers whose value matters before insn k, given those that matter
 * after it (`out`). */
static uint16_t transfer(const struct venv *env, uint32_t k, uint16_t out)
{
	const struct bpf_insn *insn = &env->insns[k];
	uint8_t cls = isa_class(insn->code), op = isa_op(insn->code);
	uint16_t d = (uint16_t)(1u << insn->dst_reg), s = (uint16_t)(1u << insn->src_reg);
	bool x = isa_src(insn->code) == BPF_X;
	bool forced = env->insn_flags[k] & INSN_OPERANDS_MATTER;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (op == BPF_END || op == BPF_NEG)
			return out;
		if (op == BPF_MOV) {
			uint16_t in = out & (uint16_t)~d;

			if (x && ((out & d) || forced))
				in |= s;
			return in;
		}
		if ((out & d) || forced)
			return (uint16_t)(out | d | (x ? s : 0));
		return out;
	case BPF_LDX:
		return (uint16_t)((out & ~d) | s);
	case BPF_ST:
		return (uint16_t)(out | d);
	case BPF_STX:
		/* stack slots are always compared in full, so whatever is
		 * stored matters; atomics also read r0 (cmpxchg) */
		return (uint16_t)(out | d | s | (isa_mode(insn->code) == BPF_ATOMIC ? R0 : 0));
	case BPF_LD:
		if (isa_is_lddw(insn))
			return out & (uint16_t)~d;
		return (uint16_t)((out & ~CALLER_SAVED) | 1u << 6 |
				  (isa_mode(insn->code) == BPF_IND ? s : 0));
	default:
		break;
	}
	/* jumps */
	if (isa_is_exit(insn->code))
		return exit_value_matters(env, k) ? R0 : 0;
	if (op == BPF_CALL) {
		/* a helper running a callback is run again when the callback
		 * returns: nothing it defines may be forgotten */
		if (env->insn_flags[k] & INSN_CALLBACK_CALL)
			return (uint16_t)(out | ARG_REGS);
		return (uint16_t)((out & ~CALLER_SAVED) |
				  (isa_is_helper_call(insn) ? vhelper_arg_regs(env, insn) : ARG_REGS));
	}
	if (isa_is_ja(insn->code))
		return out;
	if (!isa_is_cond_jmp(insn->code))
		return (uint16_t)(out | d | (x ? s : 0));
	/* A jump both of whose directions were explored decides nothing by
	 * itself. Against a register it narrows each operand by the other and
	 * through them their copies (same id), which may matter even when
	 * neither operand does afterwards: both always matter. */
	if (forced || x)
		return (uint16_t)(out | d | (x ? s : 0));
	return out;
}

void vcompute_relevance(struct venv *env)
{
	bool changed = true;

	/* Monotone: starting from the previous (smaller) sets converges to
	 * the new least fixed point. */
	while (changed) {
		changed = false;
		for (uint32_t k = env->cnt; k-- > 0;) {
			uint32_t succ[2];
			uint16_t out = 0, in;
			int n;

			if (env->insn_flags[k] & INSN_SECOND_SLOT)
				continue;
			n = vinsn_successors(env, k, succ);
			for (int j = 0; j < n; j++)
				if (succ[j] < env->cnt)
					out |= env->relevant_in[succ[j]];
			in = (uint16_t)(env->relevant_in[k] | transfer(env, k, out));
			if (in != env->relevant_in[k]) {
				env->relevant_in[k] = in;
				changed = true;
			}
		}
	}
	env->relevance_stale = false;
}
