/* SPDX-License-Identifier: MIT */
#include "vgen.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kept free of the library's headers, like progen, so the kernel side of
 * the tests can use it alone. Values per RFC 9669. */
#ifndef BPF_JMP32
#define BPF_JMP32 0x06
#endif
#define VG_MEMSX 0x80

#define R_DATA 6
#define R_END 7         /* raw: length; XDP: data_end */
#define R_CTX 8
#define R_FP 10
#define MAX_SLOTS 16    /* stack slots patterns use: fp-8 .. fp-128 */

/* ------------------------------------------------------------ randomness */

struct rng {
	uint64_t state;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)(rng_next(r) % n) : 0;
}

static bool chance(struct rng *r, uint32_t percent)
{
	return below(r, 100) < percent;
}

/* ------------------------------------------------------------ the builder */

struct fixup {
	size_t at;
	size_t label;
};

struct gen {
	struct rng rng;
	struct bpf_insn *insns;
	size_t cnt, cap;
	long *labels;             /* instruction index, -1 until bound */
	size_t nr_labels, cap_labels;
	struct fixup *fixes;
	size_t nr_fixes, cap_fixes;
	bool failed;

	enum vgen_kind kind;
	uint32_t data_len;
	uint32_t mutate;
	bool uses_map;
	uint32_t vsize, entries;
	uint32_t stack_init;      /* slots written by the prologue: fp-8 .. fp-8*n */
	size_t exit_label;
	uint32_t busy;            /* registers a pattern still needs: scratch() avoids them */
	char *pat;
	size_t pat_cap;
};

static void *grow(struct gen *g, void *p, size_t *cap, size_t need, size_t elem)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return p;
	n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	q = realloc(p, n * elem);
	if (!q) {
		g->failed = true;
		return p;
	}
	*cap = n;
	return q;
}

static struct bpf_insn mk(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

static void emit(struct gen *g, struct bpf_insn in)
{
	g->insns = grow(g, g->insns, &g->cap, g->cnt + 1, sizeof(*g->insns));
	if (g->failed)
		return;
	g->insns[g->cnt++] = in;
}

static size_t new_label(struct gen *g)
{
	g->labels = grow(g, g->labels, &g->cap_labels, g->nr_labels + 1, sizeof(*g->labels));
	if (g->failed)
		return 0;
	g->labels[g->nr_labels] = -1;
	return g->nr_labels++;
}

static void bind(struct gen *g, size_t label)
{
	if (!g->failed)
		g->labels[label] = (long)g->cnt;
}

/* A jump (conditional or ja) to `label`; its offset is patched at the end. */
static void jump(struct gen *g, uint8_t code, uint8_t dst, uint8_t src, int32_t imm, size_t label)
{
	g->fixes = grow(g, g->fixes, &g->cap_fixes, g->nr_fixes + 1, sizeof(*g->fixes));
	if (g->failed)
		return;
	g->fixes[g->nr_fixes++] = (struct fixup){ g->cnt, label };
	emit(g, mk(code, dst, src, 0, imm));
}

static void note(struct gen *g, const char *fmt, ...)
{
	size_t len = strlen(g->pat);
	va_list ap;

	if (len + 2 >= g->pat_cap)
		return;
	va_start(ap, fmt);
	vsnprintf(g->pat + len, g->pat_cap - len, fmt, ap);
	va_end(ap);
	len = strlen(g->pat);
	if (len + 1 < g->pat_cap) {
		g->pat[len] = ' ';
		g->pat[len + 1] = '\0';
	}
}

static bool mutate(struct gen *g)
{
	return chance(&g->rng, g->mutate);
}

static const uint8_t size_codes[] = { BPF_B, BPF_H, BPF_W, BPF_DW };

static uint32_t bytes_of(uint8_t size)
{
	return size == BPF_B ? 1 : size == BPF_H ? 2 : size == BPF_W ? 4 : 8;
}

static uint8_t pick_size(struct gen *g, uint32_t max_bytes)
{
	uint8_t s;

	do
		s = size_codes[below(&g->rng, 4)];
	while (bytes_of(s) > max_bytes);
	return s;
}

/* Scratch registers: never r6, r7, r8, r10. */
static uint8_t scratch(struct gen *g)
{
	static const uint8_t regs[] = { 0, 1, 2, 3, 4, 5, 9 };
	uint8_t r;

	do
		r = regs[below(&g->rng, sizeof(regs))];
	while (g->busy & (1u << r));
	return r;
}

static uint8_t scratch_except(struct gen *g, uint8_t a, uint8_t b)
{
	uint8_t r;

	do
		r = scratch(g);
	while (r == a || r == b);
	return r;
}

/* An offset near the edges of [lo, hi] most of the time. */
static int32_t edge_pick(struct gen *g, int32_t lo, int32_t hi)
{
	if (hi < lo)
		return lo;
	switch (below(&g->rng, 4)) {
	case 0: return lo;
	case 1: return hi;
	default: return lo + (int32_t)below(&g->rng, (uint32_t)(hi - lo + 1));
	}
}

/* A load or store of `size` at [base + off]. Loads land in a scratch
 * register other than `keep`. */
static void access(struct gen *g, uint8_t base, int16_t off, uint8_t size, uint8_t keep)
{
	uint8_t r = scratch_except(g, base, keep);

	switch (below(&g->rng, 5)) {
	case 0:
		if (size != BPF_DW) {
			emit(g, mk(BPF_LDX | VG_MEMSX | size, r, base, off, 0));
			break;
		}
		/* fall through */
	case 1:
	case 2:
		emit(g, mk(BPF_LDX | BPF_MEM | size, r, base, off, 0));
		break;
	case 3:
		/* a scalar that is surely initialised: r7 holds the length in
		 * raw programs; XDP stores a fresh constant */
		if (g->kind == VGEN_RAW) {
			emit(g, mk(BPF_STX | BPF_MEM | size, base, R_END, off, 0));
			break;
		}
		/* fall through */
	default:
		emit(g, mk(BPF_ST | BPF_MEM | size, base, 0, off, (int32_t)below(&g->rng, 256)));
		break;
	}
}

/* Loads an unknown scalar of 1-8 bytes from the data region into `r`. */
static void load_scalar(struct gen *g, uint8_t r)
{
	uint8_t size = pick_size(g, g->data_len);

	if (g->kind == VGEN_XDP && chance(&g->rng, 15)) {
		/* ingress_ifindex / rx_queue_index: unknown 32-bit numbers */
		emit(g, mk(BPF_LDX | BPF_MEM | BPF_W, r, R_CTX, chance(&g->rng, 50) ? 12 : 16, 0));
		return;
	}
	emit(g, mk(BPF_LDX | BPF_MEM | size, r, R_DATA,
		   (int16_t)below(&g->rng, g->data_len - bytes_of(size) + 1), 0));
}

/* --------------------------------------------------------------- bounds */

/* Makes `r` (an unknown scalar) satisfy 0 <= r <= k on the fall-through
 * path, jumping to `skip` otherwise; or, mutated, something weaker. */
static void bound_index(struct gen *g, uint8_t r, int32_t k, size_t skip)
{
	struct rng *rng = &g->rng;
	bool bad = mutate(g);
	int32_t kk = k;
	uint8_t t;

	if (bad) {
		switch (below(rng, 3)) {
		case 0: kk = k + 1; break;
		case 1: kk = k + 1 + (int32_t)below(rng, 16); break;
		default: kk = k - 1; break;        /* tighter: still safe */
		}
	}
	if (kk < 0)
		kk = 0;
	switch (below(rng, 10)) {
	case 0:
		note(g, "jgt%s", bad ? "*" : "");
		jump(g, BPF_JMP | BPF_JGT | BPF_K, r, 0, kk, skip);
		break;
	case 1:
		note(g, "jge%s", bad ? "*" : "");
		jump(g, BPF_JMP | BPF_JGE | BPF_K, r, 0, kk + 1, skip);
		break;
	case 2:
		/* against a register holding the limit */
		t = scratch_except(g, r, R_DATA);
		note(g, "jgt_x%s", bad ? "*" : "");
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_K, t, 0, 0, kk));
		if (chance(rng, 50))
			jump(g, BPF_JMP | BPF_JGT | BPF_X, r, t, 0, skip);
		else
			jump(g, BPF_JMP | BPF_JLT | BPF_X, t, r, 0, skip);
		break;
	case 3: {
		/* a mask: the largest 2^n - 1 <= k (mutated: twice as large) */
		int32_t m = 0;

		while (m * 2 + 1 <= kk)
			m = m * 2 + 1;
		if (bad)
			m = m * 2 + 1;
		note(g, "and%s", bad ? "*" : "");
		emit(g, mk(chance(rng, 30) ? BPF_ALU | BPF_AND | BPF_K : BPF_ALU64 | BPF_AND | BPF_K,
			   r, 0, 0, m));
		break;
	}
	case 4:
		/* signed upper bound: needs the lower one too (mutated: dropped) */
		note(g, "jsgt%s", bad ? "*" : "");
		jump(g, BPF_JMP | BPF_JSGT | BPF_K, r, 0, k, skip);
		if (!bad)
			jump(g, BPF_JMP | BPF_JSLT | BPF_K, r, 0, 0, skip);
		break;
	case 5:
		/* 32-bit check: bounds the value only when its upper half is
		 * known zero, which depends on how it was loaded */
		note(g, "jgt32");
		jump(g, BPF_JMP32 | BPF_JGT | BPF_K, r, 0, kk, skip);
		break;
	case 6:
		note(g, "mod%s", bad ? "*" : "");
		emit(g, mk(BPF_ALU64 | BPF_MOD | BPF_K, r, 0, 0, kk + 1));
		break;
	case 7: {
		/* a copy is checked, the original used: ids tie them, unless
		 * (mutated) the copy is 32-bit or changed before the check */
		uint8_t c = scratch_except(g, r, R_DATA);

		note(g, "copy%s", bad ? "*" : "");
		if (bad && chance(rng, 50)) {
			emit(g, mk(BPF_ALU | BPF_MOV | BPF_X, c, r, 0, 0));
		} else {
			emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, c, r, 0, 0));
			if (bad)
				emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, c, 0, 0, -1));
		}
		jump(g, BPF_JMP | BPF_JGT | BPF_K, c, 0, k, skip);
		break;
	}
	case 8:
		/* the safe path is the taken branch */
		{
			size_t body = new_label(g);

			note(g, "jlt_taken%s", bad ? "*" : "");
			jump(g, BPF_JMP | BPF_JLT | BPF_K, r, 0, kk + 1, body);
			jump(g, BPF_JMP | BPF_JA, 0, 0, 0, skip);
			bind(g, body);
		}
		break;
	default:
		/* via the stack: spill, check the register, fill and use the
		 * fill (the spill keeps the id) */
		note(g, "spill_check%s", bad ? "*" : "");
		emit(g, mk(BPF_STX | BPF_MEM | BPF_DW, R_FP, r, -136, 0));
		jump(g, BPF_JMP | BPF_JGT | BPF_K, r, 0, kk, skip);
		emit(g, mk(BPF_LDX | BPF_MEM | (bad ? BPF_W : BPF_DW), r, R_FP, -136, 0));
		break;
	}
}

/* ------------------------------------------------------------- patterns */

static uint32_t data_known(struct gen *g)
{
	return g->data_len;
}

/* [r6 + off] at constant offsets, directly or through a moved copy. */
static void pat_const(struct gen *g)
{
	struct rng *rng = &g->rng;
	uint8_t size = pick_size(g, data_known(g));
	int32_t hi = (int32_t)(data_known(g) - bytes_of(size));
	int32_t off = edge_pick(g, 0, hi);
	bool bad = mutate(g);

	if (bad)
		off = chance(rng, 70) ? hi + 1 + (int32_t)below(rng, 4) : -1 - (int32_t)below(rng, 8);
	note(g, "const%s", bad ? "*" : "");
	if (chance(rng, 50)) {
		uint8_t p = scratch(g);
		int32_t move = (int32_t)below(rng, 40) - 8;

		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_DATA, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, p, 0, 0, move));
		access(g, p, (int16_t)(off - move), size, p);
	} else {
		access(g, R_DATA, (int16_t)off, size, R_DATA);
	}
}

/* XDP: `if (p + len > data_end) skip;` in one of its spellings. */
static void packet_check(struct gen *g, uint8_t p, int32_t len, size_t skip)
{
	struct rng *rng = &g->rng;
	uint8_t q = scratch_except(g, p, R_DATA);
	size_t body;

	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, q, p, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, q, 0, 0, len));
	switch (below(rng, 5)) {
	case 0:
		jump(g, BPF_JMP | BPF_JGT | BPF_X, q, R_END, 0, skip);
		break;
	case 1:
		jump(g, BPF_JMP | BPF_JLT | BPF_X, R_END, q, 0, skip);
		break;
	case 2:
		body = new_label(g);
		jump(g, BPF_JMP | BPF_JLE | BPF_X, q, R_END, 0, body);
		jump(g, BPF_JMP | BPF_JA, 0, 0, 0, skip);
		bind(g, body);
		break;
	case 3:
		body = new_label(g);
		jump(g, BPF_JMP | BPF_JGE | BPF_X, R_END, q, 0, body);
		jump(g, BPF_JMP | BPF_JA, 0, 0, 0, skip);
		bind(g, body);
		break;
	default:
		/* signed: no range is learnt (the access should be refused
		 * unless an earlier check covers it) */
		note(g, "signed_pkt_check");
		jump(g, BPF_JMP | BPF_JSGT | BPF_X, q, R_END, 0, skip);
		break;
	}
}

/* [r6 + i + off] with i an unknown bounded index. */
static void pat_index(struct gen *g)
{
	struct rng *rng = &g->rng;
	uint8_t size = pick_size(g, data_known(g));
	int32_t off = (int32_t)below(rng, data_known(g) - bytes_of(size) + 1);
	int32_t k = (int32_t)data_known(g) - (int32_t)bytes_of(size) - off;
	uint8_t i = scratch(g), p = scratch_except(g, i, R_DATA);
	size_t skip = new_label(g);

	note(g, "index");
	g->busy = 1u << i | 1u << p;
	load_scalar(g, i);
	if (chance(rng, 20))
		/* 32-bit arithmetic first: the bound must survive it */
		emit(g, mk(BPF_ALU | BPF_ADD | BPF_K, i, 0, 0, (int32_t)below(rng, 3)));
	bound_index(g, i, k, skip);
	if (chance(rng, 30)) {
		/* scalar + pointer */
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, i, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, p, R_DATA, 0, 0));
	} else {
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_DATA, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, p, i, 0, 0));
	}
	if (g->kind == VGEN_XDP && chance(rng, 80)) {
		/* a variable packet offset needs its own check */
		int32_t len = off + (int32_t)bytes_of(size);

		if (mutate(g)) {
			len -= 1;
			note(g, "pkt_len*");
		}
		packet_check(g, p, len, skip);
	}
	access(g, p, (int16_t)off, size, p);
	bind(g, skip);
	g->busy = 0;
}

/* XDP: a check further into the packet than the prologue's, then an
 * access covered (or, mutated, not quite covered) by it. */
static void pat_packet(struct gen *g)
{
	struct rng *rng = &g->rng;
	int32_t n = (int32_t)below(rng, 80) + 1;
	uint8_t size = pick_size(g, 8);
	int32_t off = edge_pick(g, 0, n - (int32_t)bytes_of(size));
	size_t skip = new_label(g);
	bool bad = mutate(g);

	if (bad)
		off = n - (int32_t)bytes_of(size) + 1 + (int32_t)below(rng, 2);
	if (off < 0)
		off = 0;
	note(g, "packet%s", bad ? "*" : "");
	packet_check(g, R_DATA, n, skip);
	if (chance(rng, 30)) {
		/* through a copy made before the check: same id, same range */
		uint8_t c = scratch(g);

		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, c, R_DATA, 0, 0));
		access(g, c, (int16_t)off, size, c);
	} else {
		access(g, R_DATA, (int16_t)off, size, R_DATA);
	}
	bind(g, skip);
}

/* bpf_map_lookup_elem, the null check, accesses into the value. */
static void pat_map(struct gen *g)
{
	struct rng *rng = &g->rng;
	uint32_t key = below(rng, g->entries + 2);
	int16_t key_off = -4;
	uint8_t size = pick_size(g, g->vsize);
	size_t skip = new_label(g);
	uint8_t use = 0;
	bool bad;

	g->uses_map = true;
	note(g, "map");
	if (mutate(g) && chance(rng, 30)) {
		note(g, "no_key*");
	} else if (chance(rng, 30)) {
		uint8_t s = scratch(g);

		load_scalar(g, s);
		emit(g, mk(BPF_STX | BPF_MEM | BPF_W, R_FP, s, key_off, 0));
	} else {
		emit(g, mk(BPF_ST | BPF_MEM | BPF_W, R_FP, 0, key_off, (int32_t)key));
	}
	emit(g, mk(BPF_LD | BPF_IMM | BPF_DW, 1, BPF_PSEUDO_MAP_FD, 0, 0));
	emit(g, mk(0, 0, 0, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, 2, R_FP, 0, 0));
	if (mutate(g) && chance(rng, 25)) {
		note(g, "key_off*");
		key_off = (int16_t)(chance(rng, 50) ? -2 : -516);
	}
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, key_off));
	emit(g, mk(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem));
	if (chance(rng, 30)) {
		/* check one copy, use the other */
		use = 9;
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, use, 0, 0, 0));
	}
	g->busy = 1u << use;
	bad = mutate(g);
	if (!bad || chance(rng, 20)) {
		jump(g, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0, skip);
	} else if (chance(rng, 50)) {
		note(g, "no_null_check*");
	} else {
		note(g, "inverted_null_check*");
		jump(g, BPF_JMP | BPF_JNE | BPF_K, 0, 0, 0, skip);
	}
	if (chance(rng, 50)) {
		int32_t hi = (int32_t)(g->vsize - bytes_of(size));
		int32_t off = edge_pick(g, 0, hi);

		if (mutate(g)) {
			note(g, "value_off*");
			off = chance(rng, 70) ? hi + 1 + (int32_t)below(rng, 3) : -1;
		}
		access(g, use, (int16_t)off, size, use);
	} else {
		int32_t k = (int32_t)(g->vsize - bytes_of(size));
		uint8_t i = scratch_except(g, use, 1);

		/* r1-r5 are clobbered: the index comes after the call */
		load_scalar(g, i);
		bound_index(g, i, k, skip);
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, use, i, 0, 0));
		access(g, use, 0, size, use);
	}
	bind(g, skip);
	g->busy = 0;
	/* refill what the call clobbered, so later patterns read defined
	 * registers on every path */
	for (uint8_t r = 1; r <= 5; r++)
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, (int32_t)below(rng, 64)));
}

/* Stack: constant and variable offsets, spills and fills of pointers. */
static void pat_stack(struct gen *g)
{
	struct rng *rng = &g->rng;
	bool bad = mutate(g);

	switch (below(rng, 3)) {
	case 0: {
		/* constant offset from a moved frame pointer copy */
		uint8_t size = pick_size(g, 8), p = scratch(g);
		int32_t b = (int32_t)bytes_of(size);
		int32_t slots = g->stack_init ? (int32_t)g->stack_init : 1;
		int32_t at = -(int32_t)(below(rng, (uint32_t)(slots * 8 / b)) + 1) * b;
		int32_t move = -8 * (int32_t)below(rng, 4);

		if (bad) {
			switch (below(rng, 4)) {
			case 0: at = 0; break;                       /* above the frame */
			case 1: at = -520; break;                    /* below it */
			case 2: at = at + 1 < 0 && b > 1 ? at + 1 : at; break; /* misaligned */
			default: at = -200; break;                   /* never written */
			}
		}
		note(g, "stack%s", bad ? "*" : "");
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_FP, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, p, 0, 0, move));
		if (!g->stack_init && !bad)
			emit(g, mk(BPF_ST | BPF_MEM | BPF_DW, R_FP, 0, -8, 0));
		if (chance(rng, 60))
			emit(g, mk(BPF_LDX | BPF_MEM | size, scratch_except(g, p, p), p, (int16_t)(at - move), 0));
		else
			emit(g, mk(BPF_ST | BPF_MEM | size, p, 0, (int16_t)(at - move), 7));
		break;
	}
	case 1: {
		/* variable offset over fp-64 .. fp-8, all written first */
		uint8_t i = scratch(g), p = scratch_except(g, i, R_DATA);
		int32_t mask = 0x38;

		if (bad)
			mask = chance(rng, 50) ? 0x3c : 0x78;
		note(g, "stack_var%s", bad ? "*" : "");
		for (int s = 1; s <= 8; s++)
			if (!(bad && s == 3 && chance(rng, 50)))
				emit(g, mk(BPF_ST | BPF_MEM | BPF_DW, R_FP, 0, (int16_t)(-8 * s), s));
		load_scalar(g, i);
		emit(g, mk(BPF_ALU64 | BPF_AND | BPF_K, i, 0, 0, mask));
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_FP, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, p, 0, 0, -64));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, p, i, 0, 0));
		if (chance(rng, 50))
			emit(g, mk(BPF_LDX | BPF_MEM | BPF_DW, scratch_except(g, p, p), p, 0, 0));
		else
			emit(g, mk(BPF_STX | BPF_MEM | BPF_DW, p, R_END, 0, 0));
		break;
	}
	default: {
		/* spill a data pointer, fill it, dereference */
		uint8_t p = scratch(g), f = scratch_except(g, p, R_DATA);
		int16_t slot = (int16_t)(-8 * (int32_t)(below(rng, MAX_SLOTS) + 1));
		int32_t move = (int32_t)below(rng, data_known(g));
		uint8_t size = pick_size(g, data_known(g));
		int32_t off = (int32_t)below(rng, data_known(g) - bytes_of(size) + 1) - move;

		note(g, "spill%s", bad ? "*" : "");
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_DATA, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, p, 0, 0, move));
		emit(g, mk(BPF_STX | BPF_MEM | BPF_DW, R_FP, p, slot, 0));
		if (bad) {
			switch (below(rng, 3)) {
			case 0: /* half of it overwritten */
				emit(g, mk(BPF_ST | BPF_MEM | BPF_W, R_FP, 0,
					   (int16_t)(slot + 4 * (int32_t)below(rng, 2)), 0));
				break;
			case 1: /* replaced by a number */
				emit(g, mk(BPF_STX | BPF_MEM | BPF_DW, R_FP, R_END, slot, 0));
				break;
			default: /* a byte of it changed */
				emit(g, mk(BPF_ST | BPF_MEM | BPF_B, R_FP, 0,
					   (int16_t)(slot + (int32_t)below(rng, 8)), 1));
				break;
			}
		}
		emit(g, mk(BPF_LDX | BPF_MEM | BPF_DW, f, R_FP, slot, 0));
		access(g, f, (int16_t)off, size, f);
		break;
	}
	}
}

/* A bounded loop walking the data region. */
static void pat_loop(struct gen *g)
{
	struct rng *rng = &g->rng;
	uint8_t c = scratch(g), p = scratch_except(g, c, R_DATA);
	int32_t step = 1 + (int32_t)below(rng, 3);
	int32_t limit = (int32_t)data_known(g);
	size_t top = new_label(g), out = new_label(g);
	bool bad = mutate(g);

	note(g, "loop%s", bad ? "*" : "");
	g->busy = 1u << c | 1u << p;
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_K, c, 0, 0, 0));
	bind(g, top);
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_DATA, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, p, c, 0, 0));
	if (g->kind == VGEN_XDP)
		packet_check(g, p, 1, out);
	emit(g, mk(BPF_LDX | BPF_MEM | BPF_B, scratch_except(g, c, p), p, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, c, 0, 0, step));
	if (bad)
		jump(g, BPF_JMP | BPF_JLE | BPF_K, c, 0, limit, top);
	else if (chance(rng, 50))
		jump(g, BPF_JMP | BPF_JLT | BPF_K, c, 0, limit, top);
	else
		jump(g, BPF_JMP32 | BPF_JLT | BPF_K, c, 0, limit, top);
	bind(g, out);
	g->busy = 0;
}

/* Scalar noise: ALU operations and branches over them, so the bounds the
 * verifier tracks go through every operation. */
static void pat_scalar(struct gen *g)
{
	static const uint8_t ops[] = {
		BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH,
		BPF_MOD, BPF_XOR, BPF_ARSH, BPF_MOV,
	};
	struct rng *rng = &g->rng;
	uint8_t r = scratch(g), size = pick_size(g, data_known(g));
	uint32_t n = 1 + below(rng, 4);
	int32_t off;
	uint8_t p;
	size_t skip = new_label(g);

	note(g, "scalar");
	g->busy = 1u << r;
	load_scalar(g, r);
	for (uint32_t k = 0; k < n; k++) {
		uint8_t op = ops[below(rng, sizeof(ops))];
		bool is64 = chance(rng, 60);
		int32_t imm;

		switch (op) {
		case BPF_LSH: case BPF_RSH: case BPF_ARSH:
			imm = (int32_t)below(rng, is64 ? 64 : 32);
			break;
		case BPF_DIV: case BPF_MOD:
			imm = 1 + (int32_t)below(rng, 100);
			break;
		default:
			imm = (int32_t)below(rng, 512) - 128;
			break;
		}
		if (chance(rng, 20)) {
			/* against another scalar */
			uint8_t s = scratch_except(g, r, R_DATA);

			load_scalar(g, s);
			emit(g, mk((is64 ? BPF_ALU64 : BPF_ALU) | op | BPF_X, r, s, 0, 0));
			continue;
		}
		emit(g, mk((is64 ? BPF_ALU64 : BPF_ALU) | op | BPF_K, r, 0, 0, imm));
	}
	/* whatever it became, an unbounded index must be checked before use:
	 * use a random comparison, sometimes (rarely) the right one */
	off = (int32_t)below(rng, data_known(g) - bytes_of(size) + 1);
	switch (below(rng, 4)) {
	case 0:
		bound_index(g, r, (int32_t)data_known(g) - (int32_t)bytes_of(size) - off, skip);
		break;
	case 1:
		jump(g, (chance(rng, 50) ? BPF_JMP : BPF_JMP32) | BPF_JSGT | BPF_K, r, 0,
		     (int32_t)below(rng, 64), skip);
		jump(g, (chance(rng, 50) ? BPF_JMP : BPF_JMP32) | BPF_JSLT | BPF_K, r, 0,
		     (int32_t)below(rng, 3) - 1, skip);
		break;
	case 2:
		jump(g, BPF_JMP | BPF_JSET | BPF_K, r, 0, ~(int32_t)(g->data_len / 2 - 1) , skip);
		break;
	default:
		jump(g, (chance(rng, 50) ? BPF_JMP : BPF_JMP32) | BPF_JGE | BPF_K, r, 0,
		     (int32_t)below(rng, 64), skip);
		break;
	}
	p = scratch_except(g, r, R_DATA);
	g->busy |= 1u << p;
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_DATA, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, p, r, 0, 0));
	if (g->kind == VGEN_XDP)
		packet_check(g, p, off + (int32_t)bytes_of(size), skip);
	access(g, p, (int16_t)off, size, p);
	bind(g, skip);
	g->busy = 0;
}

/* Range tracking under stress: an input value goes through random ALU
 * operations (64- and 32-bit, sign extensions, byte swaps) and random
 * comparisons (JMP and JMP32, all conditions, taken or not), then indexes
 * the data region with no further check. The verifier accepts only when
 * its range analysis proves the index in bounds; the inputs then test
 * that proof. */
static void pat_range(struct gen *g)
{
	static const uint8_t alu_ops[] = {
		BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_LSH, BPF_RSH,
		BPF_MOD, BPF_XOR, BPF_ARSH, BPF_NEG,
	};
	static const uint8_t jmp_ops[] = {
		BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
		BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE,
	};
	static const int32_t imms[] = {
		0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 0x7fff, 0xffff,
		0x7fffffff, -1, -2, -8, -16, -64, -128, -256, (int32_t)0x80000000,
	};
	struct rng *rng = &g->rng;
	uint8_t x = scratch(g), p;
	uint32_t n = 2 + below(rng, 6);
	size_t skip = new_label(g);

	note(g, "range");
	g->busy = 1u << x;
	load_scalar(g, x);
	for (uint32_t k = 0; k < n; k++) {
		uint32_t what = below(rng, 10);
		int32_t imm = chance(rng, 70) ? imms[below(rng, sizeof(imms) / sizeof(imms[0]))]
					      : (int32_t)below(rng, 100);
		bool is64 = chance(rng, 60);

		if (what < 4) {
			uint8_t op = alu_ops[below(rng, sizeof(alu_ops))];

			if (op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH)
				imm = (int32_t)below(rng, is64 ? 64 : 32);
			if ((op == BPF_DIV || op == BPF_MOD) && imm == 0)
				imm = 3;
			if (op == BPF_NEG)
				imm = 0;
			emit(g, mk((is64 ? BPF_ALU64 : BPF_ALU) | op | BPF_K, x, 0,
				   (op == BPF_DIV || op == BPF_MOD) && chance(rng, 20) ? 1 : 0, imm));
		} else if (what == 4) {
			/* sign extensions and truncations */
			static const int16_t widths[] = { 8, 16, 32 };
			int16_t w = widths[below(rng, 3)];

			if (chance(rng, 30))
				emit(g, mk(BPF_ALU | BPF_MOV | BPF_X, x, x, 0, 0));
			else if (!is64 && w == 32)
				emit(g, mk(BPF_ALU | BPF_MOV | BPF_X, x, x, 8, 0));
			else
				emit(g, mk((is64 ? BPF_ALU64 : BPF_ALU) | BPF_MOV | BPF_X, x, x, w, 0));
		} else if (what == 5) {
			static const int32_t bw[] = { 16, 32, 64 };

			/* le, be, or (ALU64, v4) bswap */
			emit(g, mk(chance(rng, 30) ? BPF_ALU64 | BPF_END :
				   BPF_ALU | BPF_END | (chance(rng, 50) ? 0x08 : 0x00), x, 0, 0,
				   bw[below(rng, 3)]));
		} else if (what == 6) {
			/* against another input value */
			uint8_t y = scratch_except(g, x, R_DATA);
			uint8_t op = alu_ops[below(rng, 7)];

			load_scalar(g, y);
			if (op == BPF_LSH)
				emit(g, mk(BPF_ALU64 | BPF_AND | BPF_K, y, 0, 0, 7));
			emit(g, mk((is64 ? BPF_ALU64 : BPF_ALU) | op | BPF_X, x, y, 0, 0));
		} else {
			/* a comparison; either side may be the one that continues */
			uint8_t op = jmp_ops[below(rng, sizeof(jmp_ops))];
			uint8_t cls = chance(rng, 40) ? BPF_JMP32 : BPF_JMP;

			if (chance(rng, 25)) {
				uint8_t y = scratch_except(g, x, R_DATA);

				emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_K, y, 0, 0, imm));
				jump(g, cls | op | BPF_X, chance(rng, 80) ? x : y, 0, 0, skip);
				g->insns[g->cnt - 1].src_reg = g->insns[g->cnt - 1].dst_reg == x ? y : x;
			} else if (chance(rng, 60)) {
				jump(g, cls | op | BPF_K, x, 0, imm, skip);
			} else {
				size_t body = new_label(g);

				jump(g, cls | op | BPF_K, x, 0, imm, body);
				jump(g, BPF_JMP | BPF_JA, 0, 0, 0, skip);
				bind(g, body);
			}
		}
	}
	p = scratch_except(g, x, R_DATA);
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_DATA, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, p, x, 0, 0));
	if (g->kind == VGEN_XDP)
		packet_check(g, p, 1, skip);
	emit(g, mk(BPF_LDX | BPF_MEM | BPF_B, x, p, 0, 0));
	bind(g, skip);
	g->busy = 0;
}

/* Two paths leave different pointers in one register; the access after
 * the join must be valid for both. */
static void pat_join(struct gen *g)
{
	struct rng *rng = &g->rng;
	uint8_t c = scratch(g), p = scratch_except(g, c, R_DATA);
	size_t other = new_label(g), join = new_label(g);
	uint8_t size = pick_size(g, 8);
	int32_t b = (int32_t)bytes_of(size);
	int32_t doff = (int32_t)below(rng, data_known(g) - (uint32_t)b + 1);
	int32_t soff = -b * (int32_t)(1 + below(rng, 8 / (uint32_t)b));
	bool bad = mutate(g);

	note(g, "join%s", bad ? "*" : "");
	load_scalar(g, c);
	emit(g, mk(BPF_ST | BPF_MEM | BPF_DW, R_FP, 0, -8, 0));
	jump(g, BPF_JMP | BPF_JGT | BPF_K, c, 0, (int32_t)below(rng, 200), other);
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_DATA, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, p, 0, 0, doff));
	jump(g, BPF_JMP | BPF_JA, 0, 0, 0, join);
	bind(g, other);
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, R_FP, 0, 0));
	emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, p, 0, 0, soff));
	bind(g, join);
	/* at offset 0 both are in bounds; mutated, the data side is not */
	emit(g, mk(BPF_LDX | BPF_MEM | size, scratch_except(g, p, p), p,
		   (int16_t)(bad ? (int32_t)data_known(g) - doff - b + 1 : 0), 0));
}

/* Pointer arithmetic the verifier must refuse or handle: other operators,
 * 32-bit arithmetic, pointer - pointer. */
static void pat_ptr_ops(struct gen *g)
{
	struct rng *rng = &g->rng;
	uint8_t p = scratch(g), q = scratch_except(g, p, R_DATA);

	note(g, "ptr_ops");
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, p, chance(rng, 50) ? R_DATA : R_FP, 0, 0));
	switch (below(rng, 6)) {
	case 0: emit(g, mk(BPF_ALU | BPF_ADD | BPF_K, p, 0, 0, 1)); break;
	case 1: emit(g, mk(BPF_ALU64 | BPF_AND | BPF_K, p, 0, 0, -8)); break;
	case 2: emit(g, mk(BPF_ALU64 | BPF_SUB | BPF_X, p, R_DATA, 0, 0)); break;
	case 3: emit(g, mk(BPF_ALU64 | BPF_NEG, p, 0, 0, 0)); break;
	case 4: emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, q, p, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_X, p, q, 0, 0)); break;
	default: emit(g, mk(BPF_ALU64 | BPF_LSH | BPF_K, p, 0, 0, 1)); break;
	}
	emit(g, mk(BPF_LDX | BPF_MEM | BPF_B, q, p, 0, 0));
}

/* --------------------------------------------------------------- framing */

static void prologue(struct gen *g)
{
	struct rng *rng = &g->rng;

	if (g->kind == VGEN_RAW) {
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, R_DATA, 1, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, R_END, 2, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_K, R_CTX, 0, 0, 0));
	} else {
		int32_t check = (int32_t)g->data_len;

		if (mutate(g) && chance(rng, 30)) {
			check -= 1;
			note(g, "prologue_check*");
		}
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, R_CTX, 1, 0, 0));
		emit(g, mk(BPF_LDX | BPF_MEM | BPF_W, R_DATA, R_CTX, 0, 0));
		emit(g, mk(BPF_LDX | BPF_MEM | BPF_W, R_END, R_CTX, 4, 0));
		emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_X, 0, R_DATA, 0, 0));
		emit(g, mk(BPF_ALU64 | BPF_ADD | BPF_K, 0, 0, 0, check));
		jump(g, BPF_JMP | BPF_JGT | BPF_X, 0, R_END, 0, g->exit_label);
	}
	for (uint32_t s = 1; s <= g->stack_init; s++)
		emit(g, mk(BPF_ST | BPF_MEM | BPF_DW, R_FP, 0, (int16_t)(-8 * (int32_t)s),
			   (int32_t)below(rng, 1000)));
	/* the spill slot bound_index uses */
	emit(g, mk(BPF_ST | BPF_MEM | BPF_DW, R_FP, 0, -136, 0));
	for (uint8_t r = 0; r <= 9; r++)
		if (r <= 5 || r == 9)
			emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0, (int32_t)below(rng, 64)));
}

static void epilogue(struct gen *g)
{
	bind(g, g->exit_label);
	emit(g, mk(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, g->kind == VGEN_XDP ? XDP_PASS : 0));
	emit(g, mk(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static int resolve(struct gen *g)
{
	for (size_t i = 0; i < g->nr_fixes; i++) {
		struct bpf_insn *in = &g->insns[g->fixes[i].at];
		long target = g->labels[g->fixes[i].label];

		if (target < 0)
			return -EINVAL;
		in->off = (int16_t)(target - (long)g->fixes[i].at - 1);
	}
	return 0;
}

int vgen_generate(uint64_t seed, const struct vgen_opts *opts, struct vgen_prog *out)
{
	static const uint32_t value_sizes[] = { 4, 8, 12, 16, 24, 32, 48, 64 };
	struct gen g = { .rng = { seed * 0x2545f4914f6cdd1dull + 1 } };
	uint32_t max_patterns = opts && opts->max_patterns ? opts->max_patterns : 8;
	uint32_t n;
	char pat[sizeof(out->patterns)] = "";
	int ret;

	memset(out, 0, sizeof(*out));
	g.pat = pat;
	g.pat_cap = sizeof(pat);
	g.mutate = opts && opts->mutate_percent ? opts->mutate_percent : 20;
	if (opts && opts->kind >= 0 && opts->kind <= VGEN_XDP)
		g.kind = (enum vgen_kind)opts->kind;
	else
		g.kind = chance(&g.rng, 50) ? VGEN_RAW : VGEN_XDP;
	g.data_len = 8 + below(&g.rng, 57);
	g.vsize = value_sizes[below(&g.rng, sizeof(value_sizes) / sizeof(value_sizes[0]))];
	g.entries = 1 + below(&g.rng, 4);
	g.stack_init = below(&g.rng, MAX_SLOTS + 1);
	g.exit_label = new_label(&g);

	prologue(&g);
	n = 1 + below(&g.rng, max_patterns);
	for (uint32_t k = 0; k < n && !g.failed; k++) {
		uint32_t pick = below(&g.rng, 20);

		if (opts && opts->range_only)
			pick = 17;
		switch (pick) {
		case 0: case 1: case 2: pat_const(&g); break;
		case 3: case 4: case 5: case 6: pat_index(&g); break;
		case 7: case 8: case 9:
			if (g.kind == VGEN_XDP)
				pat_packet(&g);
			else
				pat_index(&g);
			break;
		case 10: case 11: case 12: pat_map(&g); break;
		case 13: case 14: pat_stack(&g); break;
		case 15: pat_loop(&g); break;
		case 16: pat_scalar(&g); break;
		case 17: pat_range(&g); break;
		case 18: pat_join(&g); break;
		default:
			if (chance(&g.rng, 30))
				pat_ptr_ops(&g);
			else
				pat_scalar(&g);
			break;
		}
	}
	epilogue(&g);
	ret = g.failed ? -ENOMEM : resolve(&g);
	free(g.labels);
	free(g.fixes);
	if (ret) {
		free(g.insns);
		return ret;
	}
	out->insns = g.insns;
	out->cnt = g.cnt;
	out->kind = g.kind;
	out->data_len = g.data_len;
	out->uses_map = g.uses_map;
	out->map_value_size = g.vsize;
	out->map_max_entries = g.entries;
	snprintf(out->patterns, sizeof(out->patterns), "%s", pat);
	return 0;
}

void vgen_prog_free(struct vgen_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	memset(prog, 0, sizeof(*prog));
}

void vgen_fill_input(uint64_t seed, unsigned run, uint8_t *buf, size_t len)
{
	static const uint8_t edges[] = { 0x00, 0xff, 0x7f, 0x80, 0x01, 0x02, 0x07, 0x08, 0x10, 0x3f,
					 0x40, 0xfe };
	struct rng r = { seed ^ (0x5851f42d4c957f2dull * (run + 1)) };

	if (run == 1) {
		memset(buf, 0, len);
		return;
	}
	if (run == 2) {
		memset(buf, 0xff, len);
		return;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = chance(&r, 60) ? edges[below(&r, sizeof(edges))] : (uint8_t)rng_next(&r);
}
