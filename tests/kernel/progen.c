/* SPDX-License-Identifier: MIT */
#include "progen.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Defined here so the generator does not depend on the library's headers
 * (the kernel side of the tests uses it alone). Values per RFC 9669. */
#ifndef BPF_JMP32
#define BPF_JMP32 0x06
#endif
#define PG_MEMSX 0x80
#define PG_TO_LE 0x00
#define PG_TO_BE 0x08
#define PG_SIGNED_OFF 1          /* off of sdiv/smod */

#define BODY_REGS 9              /* r0..r8; r9 = buffer, r10 = frame */
#define BASE_REG 9
#define FP_REG 10
#define MAX_DEPTH 3              /* nesting of if / if-else shapes */

/* ------------------------------------------------------------ randomness */

struct rng {
	uint64_t state;
};

/* splitmix64: tiny, fast, and every seed gives a well-mixed stream. */
static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. The modulo bias is irrelevant here. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

static bool rng_chance(struct rng *r, uint32_t percent)
{
	return rng_below(r, 100) < percent;
}

/* Values where arithmetic goes wrong: zero, ±1, sign and width limits. */
static const uint64_t edge_values[] = {
	0, 1, 2, 3, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff,
	0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000ull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
	0xfffffffffffffffeull, 0xffffffff80000000ull, 0xffffffff7fffffffull,
	0x0123456789abcdefull, 0xfedcba9876543210ull,
};

static uint64_t rng_value64(struct rng *r)
{
	switch (rng_below(r, 4)) {
	case 0:
		return (uint64_t)((int64_t)rng_below(r, 33) - 16);
	case 1:
		return edge_values[rng_below(r, sizeof(edge_values) / sizeof(edge_values[0]))];
	case 2:
		return rng_next(r) >> rng_below(r, 64);
	default:
		return rng_next(r);
	}
}

static int32_t rng_imm(struct rng *r)
{
	return (int32_t)(uint32_t)rng_value64(r);
}

static int32_t rng_imm_nonzero(struct rng *r)
{
	int32_t v;

	do
		v = rng_imm(r);
	while (v == 0);
	return v;
}

static uint8_t rng_reg(struct rng *r)
{
	return (uint8_t)rng_below(r, BODY_REGS);
}

/* ---------------------------------------------------------------- body */

#define TARGET_NONE (-1)
#define TARGET_LATER (-2)   /* a random later unit, chosen once all exist */

/* One instruction (two for lddw) and, for jumps, the unit it goes to. */
struct unit {
	struct bpf_insn insn[2];
	unsigned n;
	long target;        /* unit index, TARGET_NONE or TARGET_LATER */
};

struct gen {
	struct rng rng;
	const struct progen_opts *opts;
	struct unit *units;
	size_t nr, cap;
	size_t budget;      /* random units still to emit */
	uint32_t branches;  /* conditional jumps emitted */
	bool failed;        /* out of memory */
};

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
			    int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src,
				  .off = off, .imm = imm };
}

static struct unit *emit(struct gen *g, struct bpf_insn in)
{
	struct unit *u;

	if (g->nr == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		struct unit *units = realloc(g->units, cap * sizeof(*units));

		if (!units) {
			g->failed = true;
			return NULL;
		}
		g->units = units;
		g->cap = cap;
	}
	u = &g->units[g->nr++];
	memset(u, 0, sizeof(*u));
	u->insn[0] = in;
	u->n = 1;
	u->target = TARGET_NONE;
	return u;
}

static void emit_lddw(struct gen *g, uint8_t dst, uint64_t value)
{
	struct unit *u = emit(g, insn(BPF_LD | BPF_IMM | BPF_DW, dst, 0, 0, (int32_t)(uint32_t)value));

	if (!u)
		return;
	u->insn[1] = insn(0, 0, 0, 0, (int32_t)(uint32_t)(value >> 32));
	u->n = 2;
}

static bool has(const struct gen *g, uint32_t feature)
{
	return g->opts->features & feature;
}

static const uint8_t size_codes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };

static unsigned size_bytes(uint8_t size)
{
	return size == BPF_B ? 1 : size == BPF_H ? 2 : size == BPF_W ? 4 : 8;
}

/* Any offset inside the data area: the packet allows unaligned access. */
static int16_t data_off(struct gen *g, unsigned bytes)
{
	return (int16_t)rng_below(&g->rng, g->opts->data_len - bytes + 1);
}

/* The kernel demands aligned stack accesses. */
static int16_t stack_off(struct gen *g, unsigned bytes)
{
	uint32_t slots = g->opts->stack_len / bytes;

	return (int16_t)(-(int32_t)((rng_below(&g->rng, slots) + 1) * bytes));
}

static void gen_alu(struct gen *g)
{
	static const uint8_t ops[] = {
		BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH,
		BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH,
	};
	struct rng *r = &g->rng;
	bool is64 = has(g, PROGEN_ALU64) && (!has(g, PROGEN_ALU32) || rng_chance(r, 50));
	uint8_t cls = is64 ? BPF_ALU64 : BPF_ALU;
	uint8_t op, dst = rng_reg(r);
	bool reg = rng_chance(r, 50);
	int16_t off = 0;
	int32_t imm = 0;

	do
		op = ops[rng_below(r, sizeof(ops))];
	while ((op == BPF_DIV || op == BPF_MOD) && !has(g, PROGEN_DIV));

	if (op == BPF_NEG) {
		emit(g, insn(cls | BPF_NEG | BPF_K, dst, 0, 0, 0));
		return;
	}
	if ((op == BPF_DIV || op == BPF_MOD) && has(g, PROGEN_SIGNED) && rng_chance(r, 50))
		off = PG_SIGNED_OFF;
	if (reg) {
		emit(g, insn(cls | op | BPF_X, dst, rng_reg(r), off, 0));
		return;
	}
	switch (op) {
	case BPF_LSH: case BPF_RSH: case BPF_ARSH:
		/* The verifier refuses immediate shifts of the width or more. */
		imm = (int32_t)rng_below(r, is64 ? 64 : 32);
		break;
	case BPF_DIV: case BPF_MOD:
		/* ...and immediate divisors of zero. */
		imm = rng_imm_nonzero(r);
		break;
	default:
		imm = rng_imm(r);
	}
	emit(g, insn(cls | op | BPF_K, dst, 0, off, imm));
}

static void gen_movsx(struct gen *g)
{
	struct rng *r = &g->rng;
	bool is64 = rng_chance(r, 50);
	int16_t off = (int16_t)(8 << rng_below(r, is64 ? 3 : 2));

	emit(g, insn((is64 ? BPF_ALU64 : BPF_ALU) | BPF_MOV | BPF_X, rng_reg(r), rng_reg(r), off, 0));
}

static void gen_bswap(struct gen *g)
{
	struct rng *r = &g->rng;
	int32_t width = 16 << rng_below(r, 3);
	uint8_t code;

	switch (rng_below(r, has(g, PROGEN_SIGNED) ? 3 : 2)) {
	case 0: code = BPF_ALU | BPF_END | PG_TO_LE; break;
	case 1: code = BPF_ALU | BPF_END | PG_TO_BE; break;
	default: code = BPF_ALU64 | BPF_END | PG_TO_LE; break; /* bswap */
	}
	emit(g, insn(code, rng_reg(r), 0, 0, width));
}

/* A load or store on the data area (base r9) or the stack (base r10). */
static void gen_mem(struct gen *g, bool stack)
{
	struct rng *r = &g->rng;
	uint8_t size = size_codes[rng_below(r, 4)];
	unsigned bytes = size_bytes(size);
	uint8_t base = stack ? FP_REG : BASE_REG;
	int16_t off = stack ? stack_off(g, bytes) : data_off(g, bytes);

	switch (rng_below(r, 4)) {
	case 0:
		if (size != BPF_DW && has(g, PROGEN_SIGNED)) {
			emit(g, insn(BPF_LDX | PG_MEMSX | size, rng_reg(r), base, off, 0));
			break;
		}
		/* fall through */
	case 1:
		emit(g, insn(BPF_LDX | BPF_MEM | size, rng_reg(r), base, off, 0));
		break;
	case 2:
		emit(g, insn(BPF_STX | BPF_MEM | size, base, rng_reg(r), off, 0));
		break;
	default:
		emit(g, insn(BPF_ST | BPF_MEM | size, base, 0, off, rng_imm(r)));
		break;
	}
}

static void gen_atomic(struct gen *g)
{
	static const int32_t ops[] = {
		BPF_ADD, BPF_OR, BPF_AND, BPF_XOR,
		/* the ones returning the old value come last */
		BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH,
		BPF_XOR | BPF_FETCH, BPF_XCHG, BPF_CMPXCHG,
	};
	struct rng *r = &g->rng;
	uint8_t size = rng_chance(r, 50) ? BPF_W : BPF_DW;
	uint32_t nr_ops = g->opts->workarounds & PROGEN_WA_LINUX_ATOMIC_FETCH ?
			  4 : sizeof(ops) / sizeof(ops[0]);

	emit(g, insn(BPF_STX | BPF_ATOMIC | size, FP_REG, rng_reg(r),
		     stack_off(g, size_bytes(size)), ops[rng_below(r, nr_ops)]));
}

static struct unit *gen_cond_jump(struct gen *g)
{
	static const uint8_t ops[] = {
		BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
		BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE,
	};
	struct rng *r = &g->rng;
	uint8_t cls = rng_chance(r, 50) ? BPF_JMP : BPF_JMP32;
	uint8_t op = ops[rng_below(r, sizeof(ops))];

	g->branches++;
	if (rng_chance(r, 50))
		return emit(g, insn(cls | op | BPF_X, rng_reg(r), rng_reg(r), 0, 0));
	return emit(g, insn(cls | op | BPF_K, rng_reg(r), 0, 0, rng_imm(r)));
}

/* ja, or gotol (JMP32 | JA, offset in imm) when v4 is allowed. */
static struct unit *gen_ja(struct gen *g)
{
	if (has(g, PROGEN_SIGNED) && rng_chance(&g->rng, 30))
		return emit(g, insn(BPF_JMP32 | BPF_JA, 0, 0, 0, 0));
	return emit(g, insn(BPF_JMP | BPF_JA, 0, 0, 0, 0));
}

static void gen_block(struct gen *g, size_t len, unsigned depth);

/* `if (cond) skip block` and `if (cond) A else B`: shapes whose every
 * instruction is reachable, so that ja never leaves dead code behind (the
 * kernel refuses unreachable instructions). */
static void gen_branch(struct gen *g, unsigned depth)
{
	struct rng *r = &g->rng;
	size_t cond = g->nr, jump;

	if (!gen_cond_jump(g))
		return;
	if (depth >= MAX_DEPTH || rng_chance(r, 30)) {
		/* Anywhere later, possibly crossing other jumps. */
		g->units[cond].target = TARGET_LATER;
		return;
	}
	gen_block(g, 1 + rng_below(r, 8), depth + 1);
	if (rng_chance(r, 50) || g->failed) {
		g->units[cond].target = (long)g->nr;
		return;
	}
	jump = g->nr;
	if (!gen_ja(g))
		return;
	g->units[cond].target = (long)g->nr;
	gen_block(g, 1 + rng_below(r, 8), depth + 1);
	g->units[jump].target = (long)g->nr;
}

static void gen_one(struct gen *g, unsigned depth)
{
	struct rng *r = &g->rng;

	for (;;) {
		uint32_t pick = rng_below(r, 100);

		if (pick < 50) {
			if (has(g, PROGEN_ALU64 | PROGEN_ALU32))
				return gen_alu(g);
		} else if (pick < 60) {
			if (has(g, PROGEN_DATA))
				return gen_mem(g, false);
		} else if (pick < 70) {
			if (has(g, PROGEN_STACK))
				return gen_mem(g, true);
		} else if (pick < 75) {
			if (has(g, PROGEN_ATOMIC))
				return gen_atomic(g);
		} else if (pick < 80) {
			if (has(g, PROGEN_BSWAP))
				return gen_bswap(g);
		} else if (pick < 84) {
			if (has(g, PROGEN_SIGNED))
				return gen_movsx(g);
		} else if (pick < 87) {
			if (has(g, PROGEN_LDDW))
				return emit_lddw(g, rng_reg(r), rng_value64(r));
		} else {
			if (has(g, PROGEN_BRANCH) && g->branches < g->opts->max_branches)
				return gen_branch(g, depth);
		}
		if (!(g->opts->features & (PROGEN_ALU64 | PROGEN_ALU32 | PROGEN_DATA | PROGEN_STACK |
					   PROGEN_ATOMIC | PROGEN_BSWAP | PROGEN_SIGNED | PROGEN_LDDW)))
			/* Only branches enabled and none left: a plain move keeps the
			 * loop finite. */
			return (void)emit(g, insn(BPF_ALU64 | BPF_MOV | BPF_K, rng_reg(r), 0, 0, rng_imm(r)));
	}
}

static void gen_block(struct gen *g, size_t len, unsigned depth)
{
	while (len-- && g->budget && !g->failed) {
		g->budget--;
		gen_one(g, depth);
	}
}

/* Every stack byte and every register gets a value first. */
static void gen_init(struct gen *g)
{
	struct rng *r = &g->rng;
	uint32_t slot;
	uint8_t reg;

	for (slot = 0; slot < g->opts->stack_len / 8; slot++)
		emit(g, insn(BPF_ST | BPF_MEM | BPF_DW, FP_REG, 0, (int16_t)(-8 * (int32_t)(slot + 1)),
			     rng_imm(r)));
	for (reg = 0; reg < BODY_REGS; reg++) {
		switch (rng_below(r, 4)) {
		case 0:
			emit(g, insn(BPF_ALU64 | BPF_MOV | BPF_K, reg, 0, 0, rng_imm(r)));
			break;
		case 1:
			emit(g, insn(BPF_ALU | BPF_MOV | BPF_K, reg, 0, 0, rng_imm(r)));
			break;
		case 2:
			emit_lddw(g, reg, rng_value64(r));
			break;
		default: {
			uint8_t size = size_codes[rng_below(r, 4)];

			emit(g, insn(BPF_LDX | BPF_MEM | size, reg, BASE_REG,
				     data_off(g, size_bytes(size)), 0));
		}
		}
	}
}

/* Lays the units out and turns unit targets into instruction offsets. */
static int place_units(struct gen *g, struct bpf_insn *out)
{
	size_t *pos = malloc((g->nr + 1) * sizeof(*pos));
	size_t i, at = 0;

	if (!pos)
		return -ENOMEM;
	for (i = 0; i < g->nr; i++) {
		pos[i] = at;
		at += g->units[i].n;
	}
	pos[g->nr] = at;

	for (i = 0; i < g->nr; i++) {
		struct unit *u = &g->units[i];

		if (u->target == TARGET_LATER)
			u->target = (long)(i + 1 + rng_below(&g->rng, (uint32_t)(g->nr - i)));
		if (u->target >= 0) {
			long delta = (long)pos[u->target] - (long)pos[i] - 1;

			if (u->insn[0].code == (BPF_JMP32 | BPF_JA))
				u->insn[0].imm = (int32_t)delta;
			else
				u->insn[0].off = (int16_t)delta;
		}
		memcpy(&out[pos[i]], u->insn, u->n * sizeof(struct bpf_insn));
	}
	free(pos);
	return 0;
}

/* ------------------------------------------------------------- framing */

static struct progen_opts resolve_opts(const struct progen_opts *in)
{
	struct progen_opts o = in ? *in : (struct progen_opts){ 0 };

	if (!o.features)
		o.features = PROGEN_ALL;
	if (!o.max_body_len)
		o.max_body_len = 64;
	if (!o.data_len)
		o.data_len = 64;
	if (!o.stack_len)
		o.stack_len = 64;
	if (!o.max_branches)
		o.max_branches = 12;
	return o;
}

size_t progen_out_regs(const struct progen_opts *opts)
{
	return resolve_opts(opts).data_len;
}

size_t progen_out_stack(const struct progen_opts *opts)
{
	return progen_out_regs(opts) + 8 * PROGEN_OUT_REGS;
}

size_t progen_buffer_len(const struct progen_opts *opts)
{
	return progen_out_stack(opts) + resolve_opts(opts).stack_len;
}

/* Instructions around the body, per frame. */
#define XDP_PROLOGUE_LEN 5
#define XDP_FAIL_LEN 2
/* store r0..r8, (r0 = XDP_PASS | nothing), exit */
#define EPILOGUE_FIXED_LEN (PROGEN_OUT_REGS + 2)

int progen_generate(uint64_t seed, const struct progen_opts *in_opts,
		    enum progen_frame frame, struct progen_prog *out)
{
	struct progen_opts opts = resolve_opts(in_opts);
	struct gen g = { .rng = { seed }, .opts = &opts };
	size_t body_cnt = 0, init_cnt = 0, init_units, cnt, at, i, buf_len, stack_slots;
	struct bpf_insn *insns;
	int ret;

	memset(out, 0, sizeof(*out));
	if (opts.data_len < 8 || opts.stack_len < 8 || opts.stack_len > 512 || opts.stack_len % 8 ||
	    opts.max_body_len > 4096 || (opts.features & ~(uint32_t)PROGEN_ALL) ||
	    (frame != PROGEN_FRAME_RAW && frame != PROGEN_FRAME_XDP))
		return -EINVAL;
	buf_len = progen_buffer_len(&opts);
	if (buf_len > 0x7fff)
		return -EINVAL;
	stack_slots = opts.stack_len / 8;

	gen_init(&g);
	init_units = g.nr;
	g.budget = opts.max_body_len / 4 + rng_below(&g.rng, opts.max_body_len - opts.max_body_len / 4 + 1);
	while (g.budget && !g.failed)
		gen_block(&g, g.budget, 0);
	if (g.failed) {
		free(g.units);
		return -ENOMEM;
	}
	for (i = 0; i < g.nr; i++) {
		body_cnt += g.units[i].n;
		if (i < init_units)
			init_cnt += g.units[i].n;
	}

	cnt = (frame == PROGEN_FRAME_XDP ? XDP_PROLOGUE_LEN + XDP_FAIL_LEN : 1) + body_cnt +
	      EPILOGUE_FIXED_LEN + 2 * stack_slots;
	insns = calloc(cnt, sizeof(*insns));
	if (!insns) {
		free(g.units);
		return -ENOMEM;
	}

	at = 0;
	if (frame == PROGEN_FRAME_XDP) {
		size_t fail = XDP_PROLOGUE_LEN + body_cnt + EPILOGUE_FIXED_LEN + 2 * stack_slots;

		insns[at++] = insn(BPF_LDX | BPF_MEM | BPF_W, 2, 1, offsetof(struct xdp_md, data), 0);
		insns[at++] = insn(BPF_LDX | BPF_MEM | BPF_W, 3, 1, offsetof(struct xdp_md, data_end), 0);
		insns[at++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BASE_REG, 2, 0, 0);
		insns[at++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, (int32_t)buf_len);
		insns[at] = insn(BPF_JMP | BPF_JGT | BPF_X, 2, 3, (int16_t)(fail - at - 1), 0);
		at++;
	} else {
		insns[at++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, BASE_REG, 1, 0, 0);
	}

	out->body_start = at;
	out->init_end = at + init_cnt;
	ret = place_units(&g, &insns[at]);
	free(g.units);
	if (ret) {
		free(insns);
		return ret;
	}
	at += body_cnt;
	out->body_end = at;

	for (i = 0; i < PROGEN_OUT_REGS; i++)
		insns[at++] = insn(BPF_STX | BPF_MEM | BPF_DW, BASE_REG, (uint8_t)i,
				   (int16_t)(progen_out_regs(&opts) + 8 * i), 0);
	for (i = 0; i < stack_slots; i++) {
		insns[at++] = insn(BPF_LDX | BPF_MEM | BPF_DW, 1, FP_REG,
				   (int16_t)(-(int32_t)opts.stack_len + 8 * (int32_t)i), 0);
		insns[at++] = insn(BPF_STX | BPF_MEM | BPF_DW, BASE_REG, 1,
				   (int16_t)(progen_out_stack(&opts) + 8 * i), 0);
	}
	if (frame == PROGEN_FRAME_XDP)
		insns[at++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS);
	else /* keep the length equal in both frames: r0 |= 0 changes nothing */
		insns[at++] = insn(BPF_ALU64 | BPF_OR | BPF_K, 0, 0, 0, 0);
	insns[at++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	if (frame == PROGEN_FRAME_XDP) {
		insns[at++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_ABORTED);
		insns[at++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}

	out->insns = insns;
	out->cnt = at;
	return 0;
}

void progen_prog_free(struct progen_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	memset(prog, 0, sizeof(*prog));
}

void progen_fill_buffer(uint64_t seed, const struct progen_opts *in_opts, uint8_t *buf)
{
	struct progen_opts opts = resolve_opts(in_opts);
	/* A stream apart from the program's, so the data does not echo it. */
	struct rng r = { seed ^ 0x5851f42d4c957f2dull };
	size_t i = 0;

	while (i < opts.data_len) {
		uint64_t v = rng_chance(&r, 50) ? rng_next(&r) : rng_value64(&r);
		size_t n;

		/* Values land at any alignment so unaligned loads see edges too. */
		if (rng_chance(&r, 25)) {
			buf[i++] = (uint8_t)rng_next(&r);
			continue;
		}
		n = opts.data_len - i < 8 ? opts.data_len - i : 8;
		for (size_t b = 0; b < n; b++)
			buf[i + b] = (uint8_t)(v >> (8 * b));
		i += n;
	}
	memset(buf + opts.data_len, 0, progen_buffer_len(&opts) - opts.data_len);
}
