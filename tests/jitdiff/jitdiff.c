/* SPDX-License-Identifier: MIT */
/*
 * jitdiff: differential fuzzer, checked interpreter vs checked JIT.
 *
 * Each trial builds one program from its seed and runs it in both engines on
 * identical inputs (the same buffers at the same addresses, reset between
 * runs). The engines must agree on everything observable: return code,
 * error message (which names the instruction and the address), r0, the
 * input buffer, a helper-granted region, and the sequence of helper calls
 * with their arguments.
 *
 * Program sources, in turn:
 *  - progen (tests/kernel/progen.c): verifier-clean random programs over
 *    every ALU/memory/branch/atomic form;
 *  - rand: programs built here that an unverified program may be: memory
 *    at random bases and offsets (faults), backward jumps (the budget),
 *    helper calls that grant memory or ask to exit, local calls, callx with
 *    helper ids, code addresses and garbage, ld_abs/ld_ind, misaligned
 *    atomics;
 *  - mutate: a rand program with random bits flipped, run when it still
 *    loads.
 * Every fourth JIT image is compiled with constant blinding and baseline
 * x86-64 only (no BMI2 shifts), so both code paths of the JIT are compared.
 *
 * progen programs also run without checks (UEBPF_RUN_UNCHECKED) in both
 * engines, as they pass the kernel's verifier.
 *
 * Usage: jitdiff [--count N] [--seed S] [--mode all|progen|rand|mutate] [-v]
 * Exit status 0 when every program agreed; prints how many ran.
 * jitdiff --bench-compile LEN prints the JIT's compile time per 1,000
 * instructions for a progen program with a body of about LEN instructions.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jit/jit.h"
#include "prog/prog.h"
#include "progen.h"
#include "uebpf/asm.h"
#include "uebpf/uebpf.h"

/* ------------------------------------------------------------ randomness */

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n) { return (uint32_t)(rnd(r) % n); }
static bool chance(struct rng *r, uint32_t pct) { return below(r, 100) < pct; }

static int32_t rnd_imm(struct rng *r)
{
	static const int32_t edge[] = { 0, 1, -1, 2, 7, 8, 31, 32, 63, 64, 0x7f, 0x80, 0xff,
					0x7fff, 0x8000, 0xffff, INT32_MAX, INT32_MIN, -2, 16 };

	switch (below(r, 3)) {
	case 0: return edge[below(r, sizeof(edge) / sizeof(edge[0]))];
	case 1: return (int32_t)below(r, 64) - 16;
	default: return (int32_t)rnd(r);
	}
}

/* ------------------------------------------------------------- helpers */

#define MAX_LOG 64
#define GRANT_LEN 64

struct call_rec {
	uint32_t id;
	uint64_t arg[5];
};

struct run_log {
	struct call_rec calls[MAX_LOG];
	size_t nr;
	uint8_t *grant;              /* memory helper 3 hands out */
};

static void record(struct uebpf_run_ctx *rc, uint32_t id, uint64_t a, uint64_t b, uint64_t c,
		   uint64_t d, uint64_t e)
{
	struct run_log *log = uebpf_run_ctx_user(rc);

	if (log->nr < MAX_LOG)
		log->calls[log->nr] = (struct call_rec){ id, { a, b, c, d, e } };
	log->nr++;
}

/* 1: a pure function of its arguments */
static uint64_t h_mix(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
		      struct uebpf_run_ctx *rc)
{
	record(rc, 1, a, b, c, d, e);
	return (a * 0x9e3779b97f4a7c15ull) ^ (b << 7) ^ (c >> 3) ^ d ^ (e * 3);
}

/* 2: asks the program to stop when r1 is a multiple of 4 */
static uint64_t h_exit(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
		       struct uebpf_run_ctx *rc)
{
	record(rc, 2, a, b, c, d, e);
	if ((a & 3) == 0)
		uebpf_run_ctx_exit(rc, a ^ 0x5a5a);
	return a + 1;
}

/* 3: grants the program GRANT_LEN bytes and returns their address */
static uint64_t h_grant(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			struct uebpf_run_ctx *rc)
{
	struct run_log *log = uebpf_run_ctx_user(rc);

	record(rc, 3, a, b, c, d, e);
	if (run_ctx_grant(rc, log->grant, GRANT_LEN, a & 1))
		return 0;
	return (uint64_t)(uintptr_t)log->grant;
}

/* 5: the conformance vectors' helper: returns r1; 0 ends the program */
static uint64_t h_unwind(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			 struct uebpf_run_ctx *rc)
{
	record(rc, 5, a, b, c, d, e);
	if (!a)
		uebpf_run_ctx_exit(rc, 0);
	return a;
}

/* ------------------------------------------------------ the rand source */

#define MAX_INSNS 256

struct gen {
	struct rng *r;
	struct bpf_insn *p;
	size_t n;
	size_t func_start[4];        /* sub-programs, after the main one */
	size_t nr_funcs;
};

#define I(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (int16_t)(OFF), .imm = (IMM) })

static void put(struct gen *g, struct bpf_insn in)
{
	if (g->n < MAX_INSNS)
		g->p[g->n++] = in;
}

static uint8_t any_reg(struct rng *r) { return (uint8_t)below(r, 10); }

/* A base register for memory: mostly the frame or the input pointers. */
static uint8_t base_reg(struct rng *r)
{
	switch (below(r, 20)) {
	case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7: return 10;
	case 8: case 9: case 10: case 11: case 12: return 6;    /* a copy of r1 made at entry */
	case 13: case 14: return 7;  /* a frame copy made at entry */
	case 15: case 16: return 1;
	default: return any_reg(r);
	}
}

static int16_t mem_off(struct rng *r, uint8_t base, unsigned size)
{
	if (chance(r, 3))
		return (int16_t)rnd(r);
	if (base == 10 || base == 7)
		return (int16_t)(-(int32_t)(size * (1 + below(r, 512 / size + 2))));
	return (int16_t)((int32_t)below(r, 72) - 4);
}

static const uint8_t sizes[4] = { BPF_B, BPF_H, BPF_W, BPF_DW };

static void gen_alu(struct gen *g)
{
	static const uint8_t ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND,
				       BPF_LSH, BPF_RSH, BPF_NEG, BPF_MOD, BPF_XOR, BPF_MOV,
				       BPF_ARSH, BPF_END };
	struct rng *r = g->r;
	uint8_t cls = chance(r, 50) ? BPF_ALU64 : BPF_ALU;
	uint8_t op = ops[below(r, sizeof(ops))];
	uint8_t dst = (uint8_t)below(r, 10);
	bool x = chance(r, 50);
	int16_t off = 0;

	if (op == BPF_NEG) {
		put(g, I(cls | op, dst, 0, 0, 0));
		return;
	}
	if (op == BPF_END) {
		static const int32_t w[] = { 16, 32, 64 };

		if (cls == BPF_ALU64)
			put(g, I(BPF_ALU64 | BPF_END | BPF_TO_LE, dst, 0, 0, w[below(r, 3)]));
		else
			put(g, I(BPF_ALU | BPF_END | (chance(r, 50) ? BPF_TO_BE : BPF_TO_LE), dst, 0,
				 0, w[below(r, 3)]));
		return;
	}
	if ((op == BPF_DIV || op == BPF_MOD) && chance(r, 50))
		off = 1;
	if (op == BPF_MOV && x && chance(r, 30)) {
		static const int16_t sx[] = { 8, 16, 32 };

		off = sx[below(r, cls == BPF_ALU64 ? 3 : 2)];
	}
	if (x)
		put(g, I(cls | op | BPF_X, dst, any_reg(r), off, 0));
	else
		put(g, I(cls | op | BPF_K, dst, 0, off, rnd_imm(r)));
}

static void gen_mem(struct gen *g)
{
	struct rng *r = g->r;
	uint8_t size = sizes[below(r, 4)];
	unsigned bytes = size == BPF_B ? 1 : size == BPF_H ? 2 : size == BPF_W ? 4 : 8;
	uint8_t base = base_reg(r);
	int16_t off = mem_off(r, base, bytes);

	switch (below(r, 5)) {
	case 0:
		put(g, I(BPF_LDX | BPF_MEM | size, (uint8_t)below(r, 10), base, off, 0));
		break;
	case 1:
		if (size == BPF_DW)
			size = BPF_W;
		put(g, I(BPF_LDX | BPF_MEMSX | size, (uint8_t)below(r, 10), base, off, 0));
		break;
	case 2:
		put(g, I(BPF_ST | BPF_MEM | size, base, 0, off, rnd_imm(r)));
		break;
	case 3:
		put(g, I(BPF_STX | BPF_MEM | size, base, any_reg(r), off, 0));
		break;
	default: {
		static const int32_t aops[] = { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR,
						BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH,
						BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH,
						BPF_XCHG, BPF_CMPXCHG };
		int32_t aop = aops[below(r, 10)];
		uint8_t src = any_reg(r);

		if (src == 10 && aop != BPF_CMPXCHG && (aop & BPF_FETCH))
			src = 2;
		if (chance(r, 85))
			off &= ~7;   /* mostly aligned */
		put(g, I(BPF_STX | BPF_ATOMIC | (chance(r, 50) ? BPF_DW : BPF_W), base, src, off,
			 aop));
	}
	}
}

/* A jump inside [lo, hi) (the current function), forward or backward. */
static void gen_jump(struct gen *g, size_t lo, size_t hi_guess)
{
	static const uint8_t ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
				       BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE };
	struct rng *r = g->r;
	size_t here = g->n;
	long target;

	if (chance(r, 30) && here > lo)
		target = (long)lo + (long)below(r, (uint32_t)(here - lo + 1));   /* backward */
	else
		target = (long)here + 1 + (long)below(r, (uint32_t)(hi_guess > here ? hi_guess - here : 1) + 1);
	if (chance(r, 12)) {
		if (chance(r, 50))
			put(g, I(BPF_JMP | BPF_JA, 0, 0, target - (long)here - 1, 0));
		else
			put(g, I(BPF_JMP32 | BPF_JA, 0, 0, 0, (int32_t)(target - (long)here - 1)));
		return;
	}
	uint8_t cls = chance(r, 50) ? BPF_JMP : BPF_JMP32;
	uint8_t op = ops[below(r, sizeof(ops))];

	if (chance(r, 50))
		put(g, I(cls | op | BPF_X, any_reg(r), any_reg(r), target - (long)here - 1, 0));
	else
		put(g, I(cls | op | BPF_K, any_reg(r), 0, target - (long)here - 1, rnd_imm(r)));
}

static void gen_call(struct gen *g, bool can_call_local)
{
	struct rng *r = g->r;
	static const int32_t ids[] = { 1, 2, 3, 5 };

	switch (below(r, can_call_local ? 4 : 2)) {
	case 0:
		/* helpers read r1..r5 */
		if (chance(r, 50))
			put(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, (int32_t)below(r, 16)));
		put(g, I(BPF_JMP | BPF_CALL, 0, 0, 0, ids[below(r, 4)]));
		break;
	case 1: {
		uint8_t reg = (uint8_t)below(r, 10);

		switch (below(r, 3)) {
		case 0:
			put(g, I(BPF_ALU64 | BPF_MOV | BPF_K, reg, 0, 0, ids[below(r, 4)]));
			break;
		case 1:
			put(g, I(BPF_ALU64 | BPF_MOV | BPF_K, reg, 0, 0, rnd_imm(r)));
			break;
		default:
			break;   /* whatever the register holds */
		}
		put(g, I(BPF_JMP | BPF_CALL | BPF_X, reg, 0, 0, 0));
		break;
	}
	case 2:
		/* local call: target patched when the sub-programs exist */
		put(g, I(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, -1 - (int32_t)below(r, 4)));
		break;
	default: {
		/* lddw src=4 of a sub-program, then callx through it */
		uint8_t reg = (uint8_t)below(r, 10);

		put(g, I(BPF_LD | BPF_IMM | BPF_DW, reg, BPF_PSEUDO_FUNC, 0, -1 - (int32_t)below(r, 4)));
		put(g, I(0, 0, 0, 0, 0));
		if (chance(r, 80))
			put(g, I(BPF_JMP | BPF_CALL | BPF_X, reg, 0, 0, 0));
	}
	}
}

static void gen_misc(struct gen *g)
{
	struct rng *r = g->r;

	switch (below(r, 3)) {
	case 0: {
		uint64_t v = rnd(r);
		uint8_t dst = (uint8_t)below(r, 10);

		put(g, I(BPF_LD | BPF_IMM | BPF_DW, dst, 0, 0, (int32_t)(uint32_t)v));
		put(g, I(0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32)));
		break;
	}
	case 1: {
		uint8_t size = sizes[below(r, 3)];
		int32_t imm = chance(r, 80) ? (int32_t)below(r, 80) - 4 : rnd_imm(r);

		if (chance(r, 50))
			put(g, I(BPF_LD | BPF_ABS | size, 0, 0, 0, imm));
		else
			put(g, I(BPF_LD | BPF_IND | size, 0, any_reg(r), 0, imm));
		break;
	}
	default:
		put(g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	}
}

/* One function of about `len` instructions starting at g->n, ending in exit. */
static void gen_func(struct gen *g, size_t len, bool main)
{
	struct rng *r = g->r;
	size_t start = g->n, end_guess = start + len;

	if (main) {
		put(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 6, 1, 0, 0));
		put(g, I(BPF_ALU64 | BPF_MOV | BPF_X, 7, 10, 0, 0));
		put(g, I(BPF_ALU64 | BPF_ADD | BPF_K, 7, 0, 0, -64));
	}
	while (g->n < end_guess && g->n < MAX_INSNS - 8) {
		uint32_t k = below(r, 100);

		if (k < 40)
			gen_alu(g);
		else if (k < 65)
			gen_mem(g);
		else if (k < 80)
			gen_jump(g, start, end_guess);
		else if (k < 90)
			gen_call(g, true);
		else
			gen_misc(g);
	}
	put(g, I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, (int32_t)below(r, 100)));
	put(g, I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* Makes the generated jumps and calls land on instruction starts inside the
 * program; returns the final count. */
static size_t fix_targets(struct gen *g)
{
	size_t n = g->n, i;
	bool *second = calloc(n + 1, sizeof(bool));

	if (!second)
		return 0;
	for (i = 0; i + 1 < n; i++)
		if (g->p[i].code == (BPF_LD | BPF_IMM | BPF_DW)) {
			second[i + 1] = true;
			i++;
		}
	for (i = 0; i < n; i++) {
		struct bpf_insn *in = &g->p[i];
		uint8_t cls = in->code & 7;
		bool call_local = in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
		bool func_ref = in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == BPF_PSEUDO_FUNC;
		long t;

		if (second[i])
			continue;
		if (call_local || func_ref) {
			/* imm = -1 - k picks sub-program k (or the main one) */
			size_t k = (size_t)(-1 - in->imm);

			t = k < g->nr_funcs ? (long)g->func_start[k] : 0;
			in->imm = (int32_t)(t - (long)i - 1);
			continue;
		}
		if ((cls != BPF_JMP && cls != BPF_JMP32) || (in->code & 0xf0) == BPF_CALL ||
		    (in->code & 0xf0) == BPF_EXIT)
			continue;
		t = in->code == (BPF_JMP32 | BPF_JA) ? (long)i + 1 + in->imm : (long)i + 1 + in->off;
		if (t < 0)
			t = 0;
		if (t >= (long)n)
			t = (long)n - 1;
		while (t > 0 && second[t])
			t--;
		if (in->code == (BPF_JMP32 | BPF_JA))
			in->imm = (int32_t)(t - (long)i - 1);
		else
			in->off = (int16_t)(t - (long)i - 1);
	}
	free(second);
	return n;
}

static size_t gen_rand(struct rng *r, struct bpf_insn *out)
{
	struct gen g = { .r = r, .p = out };
	size_t nfuncs = below(r, 3), k;

	gen_func(&g, 8 + below(r, 60), true);
	for (k = 0; k < nfuncs && g.n < MAX_INSNS - 20; k++) {
		g.func_start[g.nr_funcs++] = g.n;
		gen_func(&g, 4 + below(r, 20), false);
	}
	return fix_targets(&g);
}

/* ------------------------------------------------------------- running */

#define MEM_LEN 128

struct outcome {
	int ret;
	uint64_t r0;
	char msg[UEBPF_ERRMSG_MAX];
	uint8_t mem[4096];
	uint8_t grant[GRANT_LEN];
	struct run_log log;
};

struct inputs {
	uint8_t *mem;                /* shared by both runs: same address */
	size_t mem_len;
	const uint8_t *init;         /* initial contents */
	uint8_t *grant;
	bool readonly;
	uint64_t budget;
	bool unchecked;              /* verifier-clean programs only */
};

static void run_one(const struct uebpf_prog *prog, const struct inputs *in,
		    enum uebpf_engine engine, struct outcome *o)
{
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts),
		.mem = in->mem,
		.mem_len = in->mem_len,
		.mem_readonly = in->readonly,
		.insn_budget = in->budget,
		.engine = engine,
		.flags = in->unchecked ? UEBPF_RUN_UNCHECKED : 0,
		.user = &o->log,
	};
	struct uebpf_error err = { 0 };

	memcpy(in->mem, in->init, in->mem_len);
	memset(in->grant, 0x11, GRANT_LEN);
	memset(&o->log, 0, sizeof(o->log));
	o->log.grant = in->grant;
	o->r0 = 0;
	o->ret = uebpf_prog_run(prog, &opts, &o->r0, &err);
	snprintf(o->msg, sizeof(o->msg), "%s", o->ret ? err.msg : "");
	memcpy(o->mem, in->mem, in->mem_len);
	memcpy(o->grant, in->grant, GRANT_LEN);
}

static const char *diff(const struct outcome *a, const struct outcome *b, size_t mem_len)
{
	if (a->ret != b->ret)
		return "return code";
	if (strcmp(a->msg, b->msg))
		return "error message";
	if (!a->ret && a->r0 != b->r0)
		return "r0";
	if (memcmp(a->mem, b->mem, mem_len))
		return "input memory";
	if (memcmp(a->grant, b->grant, GRANT_LEN))
		return "granted memory";
	if (a->log.nr != b->log.nr)
		return "number of helper calls";
	if (memcmp(a->log.calls, b->log.calls,
		   (a->log.nr < MAX_LOG ? a->log.nr : MAX_LOG) * sizeof(struct call_rec)))
		return "helper call arguments";
	return NULL;
}

struct stats {
	uint64_t ran, clean, refused, faults, budget, helper_runs;
	uint64_t failed;
};

static void print_prog(const struct bpf_insn *insns, size_t cnt)
{
	char *text = NULL;
	struct uebpf_error err;

	if (!uebpf_disasm(insns, cnt, &text, &err)) {
		fputs(text, stderr);
		free(text);
	}
}

static struct outcome out_interp, out_jit;

/* Loads and runs one program in both engines; returns false on a mismatch. */
static bool trial(const struct bpf_insn *insns, size_t cnt, const struct uebpf_helper_set *hs,
		  struct inputs *in, bool blind, uint64_t seed, const char *source,
		  struct stats *st, bool verbose)
{
	struct uebpf_prog_opts popts = { .sz = sizeof(popts), .name = source, .helpers = hs };
	struct uebpf_prog *prog = NULL;
	struct uebpf_error err = { 0 };
	const char *what;

	if (uebpf_prog_load(insns, cnt, &popts, &prog, &err)) {
		st->refused++;
		if (verbose)
			fprintf(stderr, "seed %" PRIu64 " (%s): refused: %s\n", seed, source, err.msg);
		return true;
	}
	if (blind) {
		/* Install a blinded checked image where uebpf_prog_run looks for
		 * one (src/prog/run.c compiles lazily into prog->jit_checked). */
		struct jit_opts jo = { .checked = true, .blind = true, .baseline_isa = true };
		struct jit_image *image = NULL;

		if (jit_compile_opts(prog, &jo, &image, &err)) {
			fprintf(stderr, "seed %" PRIu64 " (%s): blinded compile failed: %s\n", seed,
				source, err.msg);
			uebpf_prog_destroy(prog);
			st->failed++;
			return false;
		}
		prog->jit_checked = image;
	}
	/* progen programs pass the kernel's verifier, so they may also run
	 * without checks; marking them verified here stands in for ours. */
	prog->verified = in->unchecked;
	st->ran++;
	run_one(prog, in, UEBPF_ENGINE_INTERP, &out_interp);
	run_one(prog, in, UEBPF_ENGINE_JIT, &out_jit);
	what = diff(&out_interp, &out_jit, in->mem_len);
	if (what) {
		st->failed++;
		fprintf(stderr, "MISMATCH seed %" PRIu64 " (%s%s%s): %s differs\n", seed, source,
			blind ? ", blinded" : "", in->unchecked ? ", unchecked" : "", what);
		fprintf(stderr, "  interp: ret %d r0 0x%" PRIx64 " calls %zu %s\n", out_interp.ret,
			out_interp.r0, out_interp.log.nr, out_interp.msg);
		fprintf(stderr, "  jit:    ret %d r0 0x%" PRIx64 " calls %zu %s\n", out_jit.ret,
			out_jit.r0, out_jit.log.nr, out_jit.msg);
		for (size_t i = 0; i < in->mem_len; i++)
			if (out_interp.mem[i] != out_jit.mem[i])
				fprintf(stderr, "  mem[%zu]: interp %02x jit %02x\n", i,
					out_interp.mem[i], out_jit.mem[i]);
		print_prog(insns, cnt);
	} else {
		st->clean++;
		if (out_jit.ret == -E2BIG)
			st->budget++;
		else if (out_jit.ret)
			st->faults++;
		else if (out_jit.log.nr)
			st->helper_runs++;
	}
	if (verbose && !what)
		fprintf(stderr, "seed %" PRIu64 " (%s): ret %d r0 0x%" PRIx64 " %s\n", seed, source,
			out_jit.ret, out_jit.r0, out_jit.msg);
	uebpf_prog_destroy(prog);
	return !what;
}

static int run_progen(uint64_t seed, const struct uebpf_helper_set *hs, bool blind,
		      struct stats *st, bool verbose)
{
	struct rng r = { seed };
	struct progen_opts opts = {
		.features = 0,
		.max_body_len = 16 + below(&r, 112),
		.data_len = 8 * (1 + below(&r, 12)),
		.stack_len = 8 * (1 + below(&r, 32)),
	};
	struct progen_prog p;
	size_t len = progen_buffer_len(&opts);
	uint8_t *init = malloc(len), *mem = malloc(len), grant[GRANT_LEN];
	struct inputs in = { .mem = mem, .mem_len = len, .init = init, .grant = grant,
			     .budget = 0 };
	bool ok = true;

	if (!init || !mem || progen_generate(seed, &opts, PROGEN_FRAME_RAW, &p)) {
		free(init);
		free(mem);
		fprintf(stderr, "progen failed for seed %" PRIu64 "\n", seed);
		return -1;
	}
	progen_fill_buffer(seed, &opts, init);
	ok = trial(p.insns, p.cnt, hs, &in, blind, seed, "progen", st, verbose);
	in.unchecked = true;
	ok = trial(p.insns, p.cnt, hs, &in, false, seed, "progen", st, verbose) && ok;
	progen_prog_free(&p);
	free(init);
	free(mem);
	return ok ? 0 : 1;
}

static void flip_bits(struct rng *r, struct bpf_insn *insns, size_t cnt)
{
	unsigned flips = 1 + below(r, 3);

	for (unsigned k = 0; k < flips; k++) {
		uint8_t *bytes = (uint8_t *)&insns[below(r, (uint32_t)cnt)];

		bytes[below(r, 8)] ^= (uint8_t)(1u << below(r, 8));
	}
}

static int run_rand(uint64_t seed, bool mutate, const struct uebpf_helper_set *hs, bool blind,
		    struct stats *st, bool verbose)
{
	struct rng r = { seed * 0x2545f4914f6cdd1dull + (mutate ? 7 : 3) };
	struct bpf_insn insns[MAX_INSNS];
	static uint8_t mem[MEM_LEN], init[MEM_LEN], grant[GRANT_LEN];
	struct inputs in = { .mem = mem, .init = init, .grant = grant };
	size_t cnt, i;

	memset(insns, 0, sizeof(insns));
	cnt = gen_rand(&r, insns);
	if (!cnt)
		return -1;
	if (mutate)
		flip_bits(&r, insns, cnt);
	for (i = 0; i < MEM_LEN; i++)
		init[i] = (uint8_t)rnd(&r);
	in.mem_len = chance(&r, 5) ? 0 : chance(&r, 70) ? MEM_LEN : 8 + below(&r, MEM_LEN - 8);
	in.readonly = chance(&r, 15);
	in.budget = chance(&r, 30) ? 1 + below(&r, 400) : 5000;
	return trial(insns, cnt, hs, &in, blind, seed, mutate ? "mutate" : "rand", st, verbose)
		       ? 0 : 1;
}

/* Compile time per 1,000 instructions, checked and unchecked, over
 * progen programs of about `len` instructions (the best of 5 rounds). */
static int bench_compile(uint32_t len)
{
	struct progen_opts opts = { .max_body_len = len, .stack_len = 64 };
	struct progen_prog p;
	struct uebpf_prog *prog = NULL;
	struct uebpf_error err = { 0 };
	struct uebpf_prog_opts popts = { .sz = sizeof(popts), .name = "bench" };

	if (progen_generate(42, &opts, PROGEN_FRAME_RAW, &p) ||
	    uebpf_prog_load(p.insns, p.cnt, &popts, &prog, &err)) {
		fprintf(stderr, "jitdiff: cannot build the benchmark program: %s\n", err.msg);
		return 1;
	}
	for (int checked = 0; checked < 2; checked++) {
		double best = 1e30;

		for (int round = 0; round < 5; round++) {
			struct timespec t0, t1;
			int reps = 20;

			clock_gettime(CLOCK_MONOTONIC, &t0);
			for (int k = 0; k < reps; k++) {
				struct jit_image *image = NULL;

				if (jit_compile(prog, checked, &image, &err)) {
					fprintf(stderr, "jitdiff: %s\n", err.msg);
					return 1;
				}
				jit_image_free(image);
			}
			clock_gettime(CLOCK_MONOTONIC, &t1);
			double us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 +
				     (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / reps;
			if (us < best)
				best = us;
		}
		printf("jit_compile (%s): %zu instructions in %.1f us = %.1f us per 1000 "
		       "instructions (incl. mmap/mprotect/munmap)\n",
		       checked ? "checked" : "unchecked", p.cnt, best, best * 1000.0 / (double)p.cnt);
	}
	uebpf_prog_destroy(prog);
	progen_prog_free(&p);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct { uint32_t id; const char *name; uebpf_helper_fn fn; } helpers[] = {
		{ 1, "mix", h_mix }, { 2, "exit", h_exit }, { 3, "grant", h_grant },
		{ 5, "unwind", h_unwind },
	};
	uint64_t count = 20000, seed = 1, n;
	const char *mode = "all";
	bool verbose = false;
	struct uebpf_helper_set *hs = NULL;
	struct uebpf_error err = { 0 };
	struct stats st = { 0 };
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--mode") && i + 1 < argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!strcmp(argv[i], "--bench-compile") && i + 1 < argc)
			return bench_compile((uint32_t)strtoul(argv[++i], NULL, 0));
		else {
			fprintf(stderr, "usage: jitdiff [--count N] [--seed S] "
					"[--mode all|progen|rand|mutate] [-v]\n"
					"       jitdiff --bench-compile BODY_LEN\n");
			return 2;
		}
	}
	if (strcmp(mode, "all") && strcmp(mode, "progen") && strcmp(mode, "rand") &&
	    strcmp(mode, "mutate")) {
		fprintf(stderr, "jitdiff: unknown mode '%s'\n", mode);
		return 2;
	}
	if (uebpf_helper_set_create(&hs, &err)) {
		fprintf(stderr, "jitdiff: %s\n", err.msg);
		return 1;
	}
	for (size_t k = 0; k < sizeof(helpers) / sizeof(helpers[0]); k++) {
		struct uebpf_helper_proto p = { .id = helpers[k].id, .name = helpers[k].name,
						.fn = helpers[k].fn };

		if (uebpf_helper_set_add(hs, &p, &err)) {
			fprintf(stderr, "jitdiff: %s\n", err.msg);
			return 1;
		}
	}

	for (n = 0; n < count; n++) {
		uint64_t s = seed + n;
		bool blind = n % 4 == 3;
		const char *m = mode;
		int ret;

		if (!strcmp(mode, "all"))
			m = n % 3 == 0 ? "progen" : n % 3 == 1 ? "rand" : "mutate";
		if (!strcmp(m, "progen"))
			ret = run_progen(s, hs, blind, &st, verbose);
		else
			ret = run_rand(s, !strcmp(m, "mutate"), hs, blind, &st, verbose);
		if (ret < 0) {
			uebpf_helper_set_destroy(hs);
			return 1;
		}
		if (st.failed >= 10) {
			fprintf(stderr, "jitdiff: stopping after %" PRIu64 " mismatches\n", st.failed);
			break;
		}
	}
	printf("jitdiff: %" PRIu64 " programs ran in both engines, %" PRIu64 " agreed, %" PRIu64
	       " differed (%" PRIu64 " refused at load); of the agreeing: %" PRIu64
	       " faulted, %" PRIu64 " hit the budget, %" PRIu64 " called helpers\n",
	       st.ran, st.clean, st.failed, st.refused, st.faults, st.budget, st.helper_runs);
	uebpf_helper_set_destroy(hs);
	return st.failed ? 1 : 0;
}
