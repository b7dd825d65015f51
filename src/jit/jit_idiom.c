/* SPDX-License-Identifier: MIT */
/*
 * Copy loops and switch trees of unchecked code (see jit_idiom.h and
 * docs/jit.md, "Idioms", for what is recognised and why it is exact).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit_idiom.h"

/* Scratch registers of unchecked code (jit_translate.c's R_TMP0, R_TMP1,
 * R_ADDR): free at every instruction boundary. */
#define S0 X86_R9
#define S1 X86_R10
#define S2 X86_R11

/* Below this many bytes the plain loop is faster than rep movsb's start-up;
 * above the limit the guard also falls back, which keeps n * width far from
 * overflowing (a loop that long would have to be the plain loop's job
 * anyway: the verifier walks every iteration). */
#define COPY_MIN_BYTES 32u
#define COPY_MAX_TRIPS (1u << 26)

/* Bounds on the analysis, so that compile time stays linear: copy loops
 * are short, and a tree is walked once per root it is reachable from. */
#define COPY_MAX_LEN 64u
#define SWITCH_MAX_NODES 512u

/* ---------------------------------------------------------- copy loops */

static struct jit_idiom_sym sym_reg(int r)
{
	return (struct jit_idiom_sym){ .kind = JIT_SYM_AFFINE, .reg = { (int8_t)r, -1 }, .k = 0 };
}

static struct jit_idiom_sym sym_const(uint64_t k)
{
	return (struct jit_idiom_sym){ .kind = JIT_SYM_AFFINE, .reg = { -1, -1 }, .k = k };
}

static const struct jit_idiom_sym sym_poison = { .kind = JIT_SYM_POISON, .reg = { -1, -1 } };

static struct jit_idiom_sym sym_add(struct jit_idiom_sym a, struct jit_idiom_sym b)
{
	struct jit_idiom_sym r = sym_const(a.k + b.k);
	unsigned n = 0;

	if (a.kind != JIT_SYM_AFFINE || b.kind != JIT_SYM_AFFINE)
		return sym_poison;
	for (unsigned k = 0; k < 2; k++) {
		int8_t regs[2] = { a.reg[k], b.reg[k] };

		for (unsigned s = 0; s < 2; s++) {
			if (regs[s] < 0)
				continue;
			if (n == 2)
				return sym_poison;
			r.reg[n++] = regs[s];
		}
	}
	return r;
}

/* Called for every instruction, several times: the class and source bits
 * first, in one test. */
static inline bool is_cond_imm_jump(const struct bpf_insn *insn)
{
	uint8_t low = insn->code & 0x0f, op = isa_op(insn->code);

	return (low == (BPF_JMP | BPF_K) || low == (BPF_JMP32 | BPF_K)) && op != BPF_JA &&
	       op != BPF_CALL && op != BPF_EXIT && op <= BPF_JSLE && insn->dst_reg < ISA_NR_REGS;
}

/* Runs the loop body [from, to] symbolically. Accepts only 64-bit moves and
 * additions of registers and constants, one load and, after it, one store of
 * the loaded value with the same width. */
static bool interpret_body(const struct bpf_insn *insns, size_t from, size_t to,
			   struct jit_idiom_sym sym[ISA_NR_REGS], struct jit_copy_loop *l)
{
	unsigned loads = 0, stores = 0, load_size = 0;

	for (int r = 0; r < ISA_NR_REGS; r++)
		sym[r] = sym_reg(r);
	for (size_t i = from; i <= to; i++) {
		const struct bpf_insn *insn = &insns[i];
		uint8_t cls = isa_class(insn->code);

		if (insn->dst_reg >= ISA_NR_REGS || insn->src_reg >= ISA_NR_REGS)
			return false;
		if (cls == BPF_ALU64) {
			bool x = isa_src(insn->code) == BPF_X;
			struct jit_idiom_sym operand =
				x ? sym[insn->src_reg] : sym_const((uint64_t)(int64_t)insn->imm);

			if (insn->dst_reg == ISA_REG_FP || insn->off != 0)
				return false;
			switch (isa_op(insn->code)) {
			case BPF_MOV:
				sym[insn->dst_reg] = operand;
				break;
			case BPF_ADD:
				sym[insn->dst_reg] = sym_add(sym[insn->dst_reg], operand);
				break;
			case BPF_SUB:
				if (x)
					return false;
				sym[insn->dst_reg] = sym_add(sym[insn->dst_reg],
							     sym_const(-(uint64_t)(int64_t)insn->imm));
				break;
			default:
				return false;
			}
		} else if (cls == BPF_LDX && (isa_mode(insn->code) == BPF_MEM ||
					      isa_mode(insn->code) == BPF_MEMSX)) {
			struct jit_idiom_sym base = sym[insn->src_reg];

			if (loads++ || insn->dst_reg == ISA_REG_FP || base.kind != JIT_SYM_AFFINE)
				return false;
			load_size = isa_size_bytes(insn->code);
			if (load_size == 8 && isa_mode(insn->code) == BPF_MEMSX)
				return false;   /* no such instruction */
			l->load_signed = isa_mode(insn->code) == BPF_MEMSX;
			l->src = sym_add(base, sym_const((uint64_t)(int64_t)insn->off));
			sym[insn->dst_reg] = (struct jit_idiom_sym){ .kind = JIT_SYM_LOADED,
								     .reg = { -1, -1 } };
		} else if (cls == BPF_STX && isa_mode(insn->code) == BPF_MEM) {
			struct jit_idiom_sym base = sym[insn->dst_reg];

			if (stores++ || !loads || sym[insn->src_reg].kind != JIT_SYM_LOADED ||
			    isa_size_bytes(insn->code) != load_size || base.kind != JIT_SYM_AFFINE)
				return false;
			l->dst = sym_add(base, sym_const((uint64_t)(int64_t)insn->off));
		} else {
			return false;
		}
	}
	l->width = (uint8_t)load_size;
	return loads == 1 && stores == 1;
}

/* The stride of a sym over the registers' strides; false when it reads a
 * register that is neither invariant nor an induction variable. */
static bool sym_stride(const struct jit_copy_loop *l, const struct jit_idiom_sym *s, int64_t *out)
{
	int64_t total = 0;

	if (s->kind != JIT_SYM_AFFINE)
		return false;
	for (unsigned k = 0; k < 2; k++) {
		int r = s->reg[k];

		if (r < 0)
			continue;
		if (l->final[r] == JIT_COPY_INDUCTION)
			total += l->stride[r];
		else if (l->final[r] != JIT_COPY_KEEP)
			return false;
	}
	*out = total;
	return true;
}

static bool fits_s32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* How each register ends, from the symbolic state after one iteration. */
static bool classify_registers(struct jit_copy_loop *l, const struct jit_idiom_sym sym[ISA_NR_REGS])
{
	for (int r = 0; r < ISA_NR_REGS; r++) {
		const struct jit_idiom_sym *s = &sym[r];

		if (s->kind == JIT_SYM_POISON)
			return false;
		if (s->kind == JIT_SYM_LOADED) {
			l->final[r] = JIT_COPY_LOADED;
		} else if (s->reg[0] == r && s->reg[1] < 0) {
			l->final[r] = s->k ? JIT_COPY_INDUCTION : JIT_COPY_KEEP;
			l->stride[r] = (int64_t)s->k;
			if (!fits_s32(l->stride[r]))
				return false;
		} else {
			l->final[r] = JIT_COPY_TEMP;
			l->temp[r] = *s;
		}
	}
	for (int r = 0; r < ISA_NR_REGS; r++) {
		/* (n - 1) * stride is added with a scaled lea */
		if (l->final[r] == JIT_COPY_TEMP &&
		    (!sym_stride(l, &l->temp[r], &l->temp_stride[r]) ||
		     (l->temp_stride[r] != 0 && l->temp_stride[r] != 1 && l->temp_stride[r] != 2 &&
		      l->temp_stride[r] != 4 && l->temp_stride[r] != 8)))
			return false;
	}
	return true;
}

/* From the exit test `counter <exit_op> imm` after each iteration and the
 * counter's direction, the bound and the guard under which
 * n = |bound - counter| is the exact trip count (docs/jit.md). */
static bool trip_count(struct jit_copy_loop *l, uint8_t exit_op, int32_t imm)
{
	uint64_t mask = l->cmp64 ? UINT64_MAX : UINT32_MAX;
	uint64_t m = (uint64_t)(int64_t)imm & mask;
	uint64_t smax = mask >> 1, smin = smax + 1;
	bool up = l->dir > 0;

	l->guard_imm = imm;
	l->guard_cc = -1;
	switch (exit_op) {
	case BPF_JEQ:
		l->bound = m;
		return true;
	case BPF_JGE: case BPF_JSGE:
		if (!up)
			return false;
		l->bound = m;
		l->guard_cc = exit_op == BPF_JGE ? X86_CC_AE : X86_CC_GE;
		return true;
	case BPF_JGT: case BPF_JSGT:
		if (!up || m == (exit_op == BPF_JGT ? mask : smax))
			return false;
		l->bound = (m + 1) & mask;
		l->guard_cc = exit_op == BPF_JGT ? X86_CC_A : X86_CC_G;
		return true;
	case BPF_JLE: case BPF_JSLE:
		if (up)
			return false;
		l->bound = m;
		l->guard_cc = exit_op == BPF_JLE ? X86_CC_BE : X86_CC_LE;
		return true;
	case BPF_JLT: case BPF_JSLT:
		if (up || m == (exit_op == BPF_JLT ? 0 : smin))
			return false;
		l->bound = (m - 1) & mask;
		l->guard_cc = exit_op == BPF_JLT ? X86_CC_B : X86_CC_L;
		return true;
	default:
		return false;
	}
}

/* Is [h, e] (e: the jump back to h) a copy loop? */
static bool match_copy_loop(const struct bpf_insn *insns, size_t cnt, const uint8_t *is_target,
			    size_t h, size_t e, struct jit_copy_loop *l)
{
	const struct bpf_insn *back = &insns[e], *test;
	struct jit_idiom_sym sym[ISA_NR_REGS];
	size_t body_end, exit_insn;
	uint8_t exit_op;
	int64_t stride;

	memset(l, 0, sizeof(*l));
	if (isa_is_ja(back->code)) {
		int64_t t;

		/* `jcc counter, imm, exit; ja head` */
		if (e < h + 3 || !is_cond_imm_jump(&insns[e - 1]))
			return false;
		test = &insns[e - 1];
		t = isa_branch_target(test, e - 1);
		if (t < 0 || (size_t)t >= cnt || ((size_t)t >= h && (size_t)t <= e))
			return false;
		exit_insn = (size_t)t;
		exit_op = isa_op(test->code);
		body_end = e - 2;
	} else {
		/* `jcc counter, imm, head`, falling out of the loop */
		if (e < h + 2 || !is_cond_imm_jump(back) || e + 1 >= cnt)
			return false;
		test = back;
		exit_insn = e + 1;
		exit_op = isa_jmp_negate(isa_op(back->code));
		body_end = e - 1;
	}
	for (size_t k = h + 1; k <= e; k++)
		if (is_target[k])
			return false;   /* nothing may enter the loop but at its head */
	if (!interpret_body(insns, h, body_end, sym, l) || !classify_registers(l, sym))
		return false;

	l->head = (uint32_t)h;
	l->back_insn = (uint32_t)e;
	l->exit_insn = (uint32_t)exit_insn;
	l->counter = test->dst_reg;
	l->cmp64 = isa_class(test->code) == BPF_JMP;
	if (l->final[l->counter] != JIT_COPY_INDUCTION ||
	    (l->stride[l->counter] != 1 && l->stride[l->counter] != -1))
		return false;
	l->dir = (int8_t)l->stride[l->counter];
	if (!trip_count(l, exit_op, test->imm))
		return false;
	/* Both addresses advance by the width, forward: rep movsb's order. */
	if (!sym_stride(l, &l->src, &stride) || stride != l->width ||
	    !sym_stride(l, &l->dst, &stride) || stride != l->width)
		return false;
	return fits_s32((int64_t)l->src.k) && fits_s32((int64_t)l->dst.k);
}

/* ------------------------------------------------------- switch trees */

static bool is_node(const struct bpf_insn *insns, size_t cnt, size_t i, uint8_t reg)
{
	return i < cnt && is_cond_imm_jump(&insns[i]) && insns[i].dst_reg == reg;
}

/* The ISA's semantics of one conditional jump with an immediate. */
static bool node_taken(const struct bpf_insn *insn, uint64_t v)
{
	return isa_jmp_taken(isa_op(insn->code), isa_class(insn->code) == BPF_JMP32, v,
			     (uint64_t)(int64_t)insn->imm);
}

/* Nodes of the tree at `root` (conditional jumps with an immediate on the
 * same register, reached from the root through such jumps only), listed in
 * list[] (seen[] is all zero before and after); returns their number, 0 when a jump leaves
 * the program or the tree is too large, and fills *range. */
static size_t tree_nodes(const struct bpf_insn *insns, size_t cnt, size_t root,
			 uint8_t *seen, uint32_t *list, uint32_t *range)
{
	uint8_t reg = insns[root].dst_reg;
	size_t nr = 0, done = 0, nodes = 1;
	uint64_t top = 0;

	list[0] = (uint32_t)root;
	seen[root] = 1;
	while (done < nodes) {
		size_t i = list[done++];
		const struct bpf_insn *insn = &insns[i];
		bool w = isa_class(insn->code) == BPF_JMP;
		uint64_t c = w ? (uint64_t)(int64_t)insn->imm : (uint32_t)insn->imm;
		int64_t next[2] = { (int64_t)i + 1, isa_branch_target(insn, i) };

		if (c < JIT_SWITCH_MAX_RANGE - 1 && c + 2 > top)
			top = c + 2;   /* values past the largest constant all behave alike */
		for (unsigned k = 0; k < 2; k++) {
			if (next[k] < 0 || next[k] >= (int64_t)cnt) {
				nr = 0;
				goto out;
			}
			if (!seen[next[k]] && is_node(insns, cnt, (size_t)next[k], reg)) {
				if (nodes == SWITCH_MAX_NODES) {
					nr = 0;
					goto out;
				}
				seen[next[k]] = 1;
				list[nodes++] = (uint32_t)next[k];
			}
		}
	}
	nr = nodes;
out:
	for (size_t k = 0; k < nodes; k++)
		seen[list[k]] = 0;   /* ready for the next root */
	*range = (uint32_t)(top > JIT_SWITCH_MAX_RANGE ? JIT_SWITCH_MAX_RANGE : top);
	return nr;
}

/* Where the tree sends value v: the first instruction that is not a node;
 * -1 when the walk does not end (a cycle of nodes). */
static int64_t tree_leaf(const struct bpf_insn *insns, size_t cnt, size_t root, size_t nodes,
			 uint64_t v, size_t *work)
{
	size_t i = root;
	uint8_t reg = insns[root].dst_reg;

	for (size_t steps = 0; steps <= nodes; steps++) {
		++*work;
		if (!is_node(insns, cnt, i, reg))
			return (int64_t)i;
		i = node_taken(&insns[i], v) ? (size_t)isa_branch_target(&insns[i], i) : i + 1;
	}
	return -1;
}

/* ------------------------------------------------------------ finding */

static bool grow_array(void **p, size_t nr, size_t elem)
{
	void *q;

	if (nr & (nr - 1))   /* capacities are powers of two */
		return true;
	q = realloc(*p, (nr ? nr * 2 : 4) * elem);
	if (!q)
		return false;
	*p = q;
	return true;
}

/* Is i inside (not at the head of) one of the loops found? */
static bool inside_loop(const uint8_t *claimed, size_t i)
{
	return claimed[i] == 2;
}

static int find_trees(const struct bpf_insn *insns, size_t cnt, struct jit_idioms *out,
		      const uint8_t *claimed)
{
	uint8_t *interior = calloc(cnt, 1), *seen = calloc(cnt, 1);
	uint32_t *list = calloc(SWITCH_MAX_NODES, sizeof(*list));
	/* Trees may share nodes; past this much walking, give up on the rest
	 * (only a pathological program gets there). */
	size_t work = 0, max_work = 64 * cnt + 65536;
	int ret = -ENOMEM;

	if (!interior || !seen || !list)
		goto out;
	/* A node some other node of the same register reaches is part of that
	 * node's tree: only roots get a table. */
	for (size_t i = 0; i < cnt; i++) {
		int64_t t;

		if (!is_cond_imm_jump(&insns[i]))
			continue;
		t = isa_branch_target(&insns[i], i);
		if (is_node(insns, cnt, i + 1, insns[i].dst_reg))
			interior[i + 1] = 1;
		if (t >= 0 && t < (int64_t)cnt && is_node(insns, cnt, (size_t)t, insns[i].dst_reg))
			interior[t] = 1;
	}
	for (size_t root = 0; root < cnt; root++) {
		struct jit_switch_tree tree = { .root = (uint32_t)root };
		size_t nodes;
		bool ok = true;

		if (!is_cond_imm_jump(&insns[root]) || interior[root] || claimed[root])
			continue;
		if (work > max_work)
			break;
		nodes = tree_nodes(insns, cnt, root, seen, list, &tree.range);
		work += nodes;
		tree.reg = insns[root].dst_reg;
		for (size_t k = 0; k < nodes; k++) {
			if (inside_loop(claimed, list[k]))
				ok = false;
			if (isa_class(insns[list[k]].code) == BPF_JMP)
				tree.cmp64 = true;
		}
		if (nodes < 4 || tree.range < 2 || !ok)
			continue;
		tree.leaf = malloc(tree.range * sizeof(*tree.leaf));
		if (!tree.leaf)
			goto out;
		for (uint32_t v = 0; v < tree.range && ok; v++) {
			int64_t leaf = tree_leaf(insns, cnt, root, nodes, v, &work);

			ok = leaf >= 0 && !inside_loop(claimed, (size_t)leaf);
			if (ok)
				tree.leaf[v] = (uint32_t)leaf;
		}
		if (!ok || !grow_array((void **)&out->trees, out->nr_trees, sizeof(*out->trees))) {
			free(tree.leaf);
			if (ok)
				goto out;
			continue;
		}
		out->tree_at[root] = (int32_t)out->nr_trees;
		out->trees[out->nr_trees++] = tree;
	}
	ret = 0;
out:
	free(interior);
	free(seen);
	free(list);
	return ret;
}

int jit_idiom_find(const struct bpf_insn *insns, size_t cnt, const uint8_t *is_target,
		   struct jit_idioms *out)
{
	uint8_t *claimed;   /* 1: a loop's head, 2: inside a loop */
	int ret;

	memset(out, 0, sizeof(*out));
	out->loop_at = malloc(cnt * sizeof(*out->loop_at));
	out->tree_at = malloc(cnt * sizeof(*out->tree_at));
	claimed = calloc(cnt, 1);
	if (!out->loop_at || !out->tree_at || !claimed) {
		free(claimed);
		jit_idiom_release(out);
		return -ENOMEM;
	}
	for (size_t i = 0; i < cnt; i++)
		out->loop_at[i] = out->tree_at[i] = -1;

	for (size_t e = 0; e < cnt; e++) {
		const struct bpf_insn *insn = &insns[e];
		struct jit_copy_loop loop;
		int64_t h;

		if (!isa_is_ja(insn->code) && !is_cond_imm_jump(insn))
			continue;
		h = isa_branch_target(insn, e);
		if (h < 0 || (size_t)h >= e || e - (size_t)h > COPY_MAX_LEN || claimed[h] ||
		    !match_copy_loop(insns, cnt, is_target, (size_t)h, e, &loop))
			continue;
		if (!grow_array((void **)&out->loops, out->nr_loops, sizeof(*out->loops))) {
			free(claimed);
			jit_idiom_release(out);
			return -ENOMEM;
		}
		out->loop_at[h] = (int32_t)out->nr_loops;
		out->loops[out->nr_loops++] = loop;
		claimed[h] = 1;
		for (size_t k = (size_t)h + 1; k <= e; k++)
			claimed[k] = 2;
	}
	ret = find_trees(insns, cnt, out, claimed);
	free(claimed);
	if (ret || (!out->nr_loops && !out->nr_trees))
		jit_idiom_release(out);   /* nothing to look up per instruction */
	return ret;
}

void jit_idiom_release(struct jit_idioms *idioms)
{
	for (size_t k = 0; k < idioms->nr_trees; k++)
		free(idioms->trees[k].leaf);
	free(idioms->trees);
	free(idioms->loops);
	free(idioms->loop_at);
	free(idioms->tree_at);
	memset(idioms, 0, sizeof(*idioms));
}

/* ------------------------------------------------------------ emitting */

/* lea dst, [base + index * scale + disp32] (64-bit). */
static void emit_lea_sib(struct x86_buf *b, unsigned dst, unsigned base, unsigned index,
			 unsigned scale, int32_t disp)
{
	uint8_t ss = scale == 8 ? 3 : scale == 4 ? 2 : scale == 2 ? 1 : 0;

	x86_byte(b, (uint8_t)(0x48 | ((dst & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) |
			      ((base & 8) ? 1 : 0)));
	x86_byte(b, 0x8d);
	x86_byte(b, (uint8_t)(0x80 | ((dst & 7) << 3) | 4));
	x86_byte(b, (uint8_t)((ss << 6) | ((index & 7) << 3) | (base & 7)));
	x86_u32(b, (uint32_t)disp);
}

/* dst = the address sym (registers at loop entry) + disp. */
static void emit_sym_address(struct x86_buf *b, unsigned dst, const struct jit_idiom_sym *s,
			     const uint8_t reg_map[ISA_NR_REGS])
{
	int32_t disp = (int32_t)(int64_t)s->k;

	if (s->reg[0] < 0)
		x86_mov_imm64(b, dst, (uint64_t)(int64_t)disp);
	else if (s->reg[1] < 0)
		x86_lea(b, dst, reg_map[s->reg[0]], disp);
	else
		emit_lea_sib(b, dst, reg_map[s->reg[0]], reg_map[s->reg[1]], 1, disp);
}

/*
 *   [guard]  n = trip count in S2; anything unproven -> plain
 *   S0 = src, S1 = dst (first iteration)
 *   [width > 1: 1 <= dst - src < width -> plain]
 *   push rdi, rsi, rcx; rsi = S0; rdi = S1; rcx = n * width; rep movsb
 *   [S0 = the last value stored]; pop rcx, rsi, rdi
 *   every register the loop writes = what the loop leaves; jmp exit
 *   plain:
 */
size_t jit_idiom_emit_copy(struct x86_buf *b, const struct jit_copy_loop *l,
			   const uint8_t reg_map[ISA_NR_REGS])
{
	unsigned counter = reg_map[l->counter];
	unsigned w = l->width, min_trips = COPY_MIN_BYTES / w;
	size_t to_plain[4], nr_plain = 0, exit_at;
	bool any_loaded = false;

	if (l->guard_cc >= 0) {
		x86_alu_ri(b, l->cmp64, X86_CMP, counter, l->guard_imm);
		to_plain[nr_plain++] = x86_jcc32(b, (enum x86_cc)l->guard_cc);
	}
	if (l->dir > 0) {
		x86_mov_imm64(b, S2, l->bound);
		x86_alu_rr(b, l->cmp64, X86_SUB, S2, counter);
	} else {
		x86_mov_rr(b, l->cmp64, S2, counter);
		x86_mov_imm64(b, S1, l->bound);
		x86_alu_rr(b, l->cmp64, X86_SUB, S2, S1);
	}
	/* min_trips <= n <= COPY_MAX_TRIPS, one unsigned compare */
	x86_lea(b, S1, S2, -(int32_t)min_trips);
	x86_alu_ri(b, true, X86_CMP, S1, (int32_t)(COPY_MAX_TRIPS - min_trips));
	to_plain[nr_plain++] = x86_jcc32(b, X86_CC_A);

	emit_sym_address(b, S0, &l->src, reg_map);
	emit_sym_address(b, S1, &l->dst, reg_map);
	if (w > 1) {
		/* Wider copies equal a forward byte copy unless the destination
		 * starts 1..w-1 bytes after the source (docs/jit.md):
		 * (src - dst) + (w - 1) <= w - 2 (unsigned) is that case. */
		x86_alu_rr(b, true, X86_SUB, S0, S1);
		x86_alu_ri(b, true, X86_ADD, S0, (int32_t)w - 1);
		x86_alu_ri(b, true, X86_CMP, S0, (int32_t)w - 2);
		to_plain[nr_plain++] = x86_jcc32(b, X86_CC_BE);
		emit_lea_sib(b, S0, S0, S1, 1, -(int32_t)(w - 1));
	}
	x86_push(b, X86_RDI);
	x86_push(b, X86_RSI);
	x86_push(b, X86_RCX);
	x86_mov_rr(b, true, X86_RSI, S0);
	x86_mov_rr(b, true, X86_RDI, S1);
	x86_mov_rr(b, true, X86_RCX, S2);
	if (w > 1)
		x86_shift_ri(b, true, X86_SHL, X86_RCX, (uint8_t)(w == 2 ? 1 : w == 4 ? 2 : 3));
	x86_byte(b, 0xf3);   /* rep movsb */
	x86_byte(b, 0xa4);
	for (int r = 0; r < ISA_NR_REGS; r++)
		any_loaded |= l->final[r] == JIT_COPY_LOADED;
	if (any_loaded)   /* the last store wrote the last value loaded */
		x86_load(b, w, l->load_signed, S0, X86_RDI, -(int32_t)w);
	x86_pop(b, X86_RCX);
	x86_pop(b, X86_RSI);
	x86_pop(b, X86_RDI);

	/* Temporaries first: they read the registers' values at loop entry,
	 * which the inductions below then advance. */
	for (int r = 0; r < ISA_NR_REGS; r++) {
		const struct jit_idiom_sym *s = &l->temp[r];
		int64_t stride = l->temp_stride[r];

		if (l->final[r] != JIT_COPY_TEMP)
			continue;
		/* value at the start of iteration n - 1: k + regs + (n - 1) * stride */
		x86_mov_imm64(b, S1, s->k - (uint64_t)stride);
		for (unsigned k = 0; k < 2; k++)
			if (s->reg[k] >= 0)
				x86_alu_rr(b, true, X86_ADD, S1, reg_map[s->reg[k]]);
		if (stride)
			emit_lea_sib(b, S1, S1, S2, (unsigned)stride, 0);
		x86_mov_rr(b, true, reg_map[r], S1);
	}
	for (int r = 0; r < ISA_NR_REGS; r++) {
		int64_t stride = l->stride[r];

		if (l->final[r] == JIT_COPY_LOADED) {
			x86_mov_rr(b, true, reg_map[r], S0);
		} else if (l->final[r] == JIT_COPY_INDUCTION) {
			if (stride == 1) {
				x86_alu_rr(b, true, X86_ADD, reg_map[r], S2);
			} else if (stride == -1) {
				x86_alu_rr(b, true, X86_SUB, reg_map[r], S2);
			} else {
				x86_imul_rri(b, true, S1, S2, (int32_t)stride);
				x86_alu_rr(b, true, X86_ADD, reg_map[r], S1);
			}
		}
	}
	exit_at = x86_jmp32(b);
	for (size_t k = 0; k < nr_plain; k++)
		if (!b->oom)
			x86_patch32(b->p, to_plain[k], b->len);
	return exit_at;
}

/*
 *   cmp reg, range; jae tree
 *   r10d = reg; r11 = &entry[reg] + 4; r10 = *(int32_t *)(r11 - 4)
 *   jmp r11 + r10
 *   table: range x rel32
 *   tree:
 */
size_t jit_idiom_emit_switch(struct x86_buf *b, const struct jit_switch_tree *t,
			     const uint8_t reg_map[ISA_NR_REGS])
{
	unsigned reg = reg_map[t->reg];
	size_t to_tree, lea_disp, table;

	x86_alu_ri(b, t->cmp64, X86_CMP, reg, (int32_t)t->range);
	to_tree = x86_jcc32(b, X86_CC_AE);
	x86_mov_rr(b, false, S1, reg);
	/* lea r11, [rip + disp32] */
	x86_byte(b, 0x4c);
	x86_byte(b, 0x8d);
	x86_byte(b, 0x1d);
	lea_disp = b->len;
	x86_u32(b, 0);
	emit_lea_sib(b, S2, S2, S1, 4, 0);
	/* movsxd r10, dword [r11 - 4] */
	x86_byte(b, 0x4d);
	x86_byte(b, 0x63);
	x86_byte(b, 0x53);
	x86_byte(b, 0xfc);
	x86_alu_rr(b, true, X86_ADD, S2, S1);
	/* jmp r11 */
	x86_byte(b, 0x41);
	x86_byte(b, 0xff);
	x86_byte(b, 0xe3);
	table = b->len;
	for (uint32_t v = 0; v < t->range; v++)
		x86_u32(b, 0);
	if (!b->oom) {
		x86_patch32(b->p, lea_disp, table + 4);   /* r11 = &entry[0] + 4 */
		x86_patch32(b->p, to_tree, b->len);
	}
	return table;
}
