/* SPDX-License-Identifier: MIT */
/*
 * The JIT's idioms (src/jit/jit_idiom.c): counted copy loops translated to
 * `rep movsb` and switch trees translated to jump tables. They only exist
 * in unchecked code, which tests/jitdiff covers only through progen, so
 * this test builds thousands of random programs of both shapes, has the
 * verifier accept them, runs each unchecked in the interpreter and in the
 * JIT on the same inputs and compares r0, every register (the programs
 * store them all before exiting) and the whole memory. Each program's code
 * is inspected to make sure the idiom fired, so nothing passes vacuously.
 *
 * A second pass compiles the same shapes with wild counter values without
 * the verifier (counters past the bound, wrapping, 64-bit values under
 * 32-bit compares) and compares the unchecked JIT with the checked
 * interpreter wherever that one runs to completion.
 *
 * UEBPF_IDIOM_COUNT and UEBPF_IDIOM_SEED change the number of programs per
 * test and the seed (longer runs by hand).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jit/jit.h"
#include "prog/prog.h"
#include "uebpf/uebpf.h"
#include "uebpf/verifier.h"

#define MEM_SIZE 4096
#define COPY_AREA 3584        /* copies stay below; registers are stored above */
#define REGS_OUT 3840         /* r0..r9 as 8-byte values */
#define SEL_BYTE 3832         /* chooses the counter's start value */
#define MAX_INSNS 1024

static unsigned nr_programs = 3000;
static uint64_t seed = 1;
static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n) { return n ? rnd() % n : 0; }
static bool chance(unsigned percent) { return below(100) < percent; }

/* ------------------------------------------------------- program builder */

struct builder {
	struct bpf_insn insn[MAX_INSNS];
	size_t n;
};

static size_t put(struct builder *p, uint8_t code, unsigned dst, unsigned src, int16_t off,
		  int32_t imm)
{
	assert_true(p->n < MAX_INSNS);
	p->insn[p->n] = (struct bpf_insn){ .code = code, .dst_reg = (uint8_t)dst,
					   .src_reg = (uint8_t)src, .off = off, .imm = imm };
	return p->n++;
}

static void put_lddw(struct builder *p, unsigned dst, uint64_t v)
{
	put(p, BPF_LD | BPF_DW | BPF_IMM, dst, 0, 0, (int32_t)(uint32_t)v);
	put(p, 0, 0, 0, 0, (int32_t)(uint32_t)(v >> 32));
}

static void put_const(struct builder *p, unsigned dst, uint64_t v)
{
	if ((int64_t)v == (int32_t)v)
		put(p, BPF_ALU64 | BPF_K | BPF_MOV, dst, 0, 0, (int32_t)v);
	else
		put_lddw(p, dst, v);
}

/* Points the jump at `at` to the next instruction to be put. */
static void land_here(struct builder *p, size_t at)
{
	p->insn[at].off = (int16_t)(p->n - at - 1);
}

static const uint8_t size_code[9] = { [1] = BPF_B, [2] = BPF_H, [4] = BPF_W, [8] = BPF_DW };

enum { SCALAR, INPUT_PTR, STACK_PTR };

/* Stores r0..r8 at REGS_OUT (pointers as offsets from r9 = the input or
 * from r10) and exits with r0 mixed with a pointer-free summary. `ptr`
 * says which registers hold pointers. */
static void put_epilogue(struct builder *p, const uint8_t ptr[10])
{
	for (unsigned r = 0; r <= 8; r++) {
		if (ptr[r] == INPUT_PTR)
			put(p, BPF_ALU64 | BPF_X | BPF_SUB, r, 9, 0, 0);
		else if (ptr[r] == STACK_PTR)
			put(p, BPF_ALU64 | BPF_X | BPF_SUB, r, 10, 0, 0);
		put(p, BPF_STX | BPF_MEM | BPF_DW, 9, r, (int16_t)(REGS_OUT + 8 * r), 0);
	}
	put(p, BPF_ALU64 | BPF_X | BPF_XOR, 0, 3, 0, 0);
	put(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* ------------------------------------------------------------ running */

static void dump(const struct builder *p)
{
	char text[128];

	for (size_t i = 0; i < p->n; i++) {
		isa_format_insn(p->insn, p->n, i, text, sizeof(text));
		print_message("%5zu: %s\n", i, text);
	}
}

static struct uebpf_prog *load(const struct builder *p, bool verify)
{
	struct uebpf_prog_opts popts = { .sz = sizeof(popts), .name = "idiom" };
	struct uebpf_verify_opts vopts = {
		.sz = sizeof(vopts), .prog_type = UEBPF_PROG_TYPE_RAW, .mem_size = MEM_SIZE,
	};
	struct uebpf_verify_result *result = NULL;
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog = NULL;

	if (uebpf_prog_load(p->insn, p->n, &popts, &prog, &err))
		fail_msg("load: %s", err.msg);
	if (!verify)
		return prog;
	if (uebpf_prog_verify(prog, &vopts, &result, &err) ||
	    !uebpf_verify_result_accepted(result)) {
		dump(p);
		fail_msg("the verifier refused a generated program: %s", err.msg);
	}
	uebpf_verify_result_destroy(result);
	return prog;
}

static void fill(uint8_t *mem, uint64_t salt)
{
	uint64_t x = salt * 0x9e3779b97f4a7c15ull + 1;

	for (size_t i = 0; i < MEM_SIZE; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		mem[i] = (uint8_t)(x >> 24);
	}
}

static int run(const struct uebpf_prog *prog, uint8_t *mem, enum uebpf_engine engine,
	       uint32_t flags, uint64_t budget, uint64_t *r0)
{
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts), .mem = mem, .mem_len = MEM_SIZE, .engine = engine,
		.flags = flags, .insn_budget = budget,
	};
	struct uebpf_error err = { 0 };

	return uebpf_prog_run(prog, &opts, r0, &err);
}

/* Runs a verified program unchecked in both engines (twice in the JIT:
 * the first run compiles, the second takes the lean entry when there is
 * one) on memory prepared by `init` and compares everything. */
static void compare_verified(const struct uebpf_prog *prog, const uint8_t *init)
{
	static uint8_t mem_interp[MEM_SIZE], mem_jit[MEM_SIZE];
	uint64_t r0_interp = 0, r0_jit = 0;

	for (int pass = 0; pass < 2; pass++) {
		memcpy(mem_interp, init, MEM_SIZE);
		memcpy(mem_jit, init, MEM_SIZE);
		assert_int_equal(run(prog, mem_interp, UEBPF_ENGINE_INTERP, UEBPF_RUN_UNCHECKED, 0,
				     &r0_interp), 0);
		assert_int_equal(run(prog, mem_jit, UEBPF_ENGINE_JIT, UEBPF_RUN_UNCHECKED, 0,
				     &r0_jit), 0);
		assert_int_equal(r0_jit, r0_interp);
		assert_memory_equal(mem_jit, mem_interp, MEM_SIZE);
	}
}

/* An unverified program: the checked interpreter decides whether the input
 * is one it runs to completion inside the memory; only then does the
 * unchecked JIT run it (jit_run, as uebpf_prog_run would for a verified
 * program). Returns whether it ran. */
static bool compare_unverified(struct uebpf_prog *prog, const struct jit_image *image,
			       const uint8_t *init)
{
	static uint8_t mem_interp[MEM_SIZE], mem_jit[MEM_SIZE];
	unsigned char stack[UEBPF_STACK_SIZE * UEBPF_MAX_CALL_DEPTH] __attribute__((aligned(16)));
	struct uebpf_error err = { 0 };
	uint64_t r0_interp = 0, r0_jit = 0;
	struct uebpf_run_ctx rc;

	memcpy(mem_interp, init, MEM_SIZE);
	memcpy(mem_jit, init, MEM_SIZE);
	if (run(prog, mem_interp, UEBPF_ENGINE_INTERP, 0, 200000, &r0_interp))
		return false;
	memset(&rc, 0, sizeof(rc));
	memset(stack, 0, sizeof(stack));
	rc.prog = prog;
	rc.stack_lo = (uintptr_t)stack;
	rc.stack_hi = (uintptr_t)stack + sizeof(stack);
	rc.mem_lo = (uintptr_t)mem_jit;
	rc.mem_hi = (uintptr_t)mem_jit + MEM_SIZE;
	rc.err = &err;
	assert_int_equal(jit_run(image, &rc, (uintptr_t)mem_jit, MEM_SIZE, &r0_jit, &err), 0);
	assert_int_equal(r0_jit, r0_interp);
	assert_memory_equal(mem_jit, mem_interp, MEM_SIZE);
	return true;
}

/* Does instruction i's code contain `bytes`? */
static bool code_has(const struct jit_image *image, size_t i, const uint8_t *bytes, size_t len)
{
	const uint32_t *off = jit_image_insn_offsets(image);
	size_t code_len = 0;
	const uint8_t *code = jit_image_code(image, &code_len);

	for (size_t k = off[i]; k + len <= off[i + 1]; k++)
		if (!memcmp(code + k, bytes, len))
			return true;
	return false;
}

static const uint8_t rep_movsb[] = { 0xf3, 0xa4 };
static const uint8_t jmp_r11[] = { 0x41, 0xff, 0xe3 };

/* ------------------------------------------------------------ copy loops */

/* The ISA's conditional jump with an immediate. */
static bool taken(uint8_t op, bool w64, uint64_t a, int32_t imm)
{
	uint64_t x = w64 ? a : (uint32_t)a;
	uint64_t y = w64 ? (uint64_t)(int64_t)imm : (uint32_t)imm;
	int64_t sx = w64 ? (int64_t)x : (int32_t)(uint32_t)x;
	int64_t sy = w64 ? (int64_t)y : (int32_t)(uint32_t)y;

	switch (op) {
	case BPF_JEQ: return x == y;
	case BPF_JNE: return x != y;
	case BPF_JGT: return x > y;
	case BPF_JGE: return x >= y;
	case BPF_JLT: return x < y;
	case BPF_JLE: return x <= y;
	case BPF_JSGT: return sx > sy;
	case BPF_JSGE: return sx >= sy;
	case BPF_JSLT: return sx < sy;
	case BPF_JSLE: return sx <= sy;
	default: return (x & y) != 0;
	}
}

struct copy_shape {
	unsigned width;
	int dir;                 /* counter step */
	bool index_form;         /* dst[i] = src[i] through base + counter */
	bool ja_form;            /* `jcc exit; ja head` rather than `jcc head` */
	bool w64;                /* 64-bit compare */
	uint8_t op;              /* the jcc's op */
	int32_t imm;
	unsigned rc, rs, rd, rt, ra, rx, ry;   /* counter, src, dst, loaded, temps */
	bool extra_temp, loaded_copy;
	uint8_t load_mode;       /* BPF_MEM, or BPF_MEMSX (sign-extending) */
};

/* Iterations of the loop from counter value c0; 0 when more than `cap`. */
static uint64_t trips(const struct copy_shape *s, uint64_t c0, uint64_t cap)
{
	uint64_t c = c0;

	for (uint64_t n = 1; n <= cap; n++) {
		bool t;

		c += (uint64_t)(int64_t)s->dir;
		t = taken(s->op, s->w64, c, s->imm);
		if (t)   /* s->op is the exit test in both forms */
			return n;
	}
	return 0;
}

static const uint8_t exit_up[] = { BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSGE, BPF_JSGT };
static const uint8_t exit_down[] = { BPF_JEQ, BPF_JLE, BPF_JLT, BPF_JSLE, BPF_JSLT };

static uint8_t negate(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JGE: return BPF_JLT;
	case BPF_JGT: return BPF_JLE;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSLE: return BPF_JSGT;
	default: return BPF_JSGE;   /* BPF_JSLT */
	}
}

/* Distinct random registers among r0..r8 (r9 keeps the input pointer). */
static void pick_regs(unsigned *out, unsigned n)
{
	unsigned regs[9] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };

	for (unsigned k = 0; k < 9; k++) {
		unsigned j = k + (unsigned)below(9 - k), t = regs[k];

		regs[k] = regs[j];
		regs[j] = t;
	}
	memcpy(out, regs, n * sizeof(*out));
}

/* A trip count: mostly past rep movsb's threshold, some below it, a few
 * long ones. */
static uint64_t pick_trips(unsigned width)
{
	uint64_t most = (COPY_AREA / 2) / width;

	if (chance(25))
		return 1 + below(40);
	if (chance(5))
		return 1 + below(most);
	return 1 + below(most < 300 ? most : 300);
}

/* A counter start and exit test with the wanted trip count (the start is
 * searched from the bound, then checked by simulation). */
static bool pick_counter(struct copy_shape *s, uint64_t want, bool wild, uint64_t *c0)
{
	uint64_t bound, mask = s->w64 ? UINT64_MAX : UINT32_MAX;
	int32_t imm = chance(50) ? (int32_t)below(2000) - 1000
				 : chance(50) ? (int32_t)(uint32_t)rnd() : (chance(50) ? INT32_MAX : INT32_MIN);

	s->imm = imm;
	bound = s->w64 ? (uint64_t)(int64_t)imm : (uint32_t)imm;
	if (wild && chance(50)) {
		static const uint64_t odd[] = { 0, 1, UINT64_MAX, 0x7fffffff, 0x80000000, 0xffffffff,
						0x100000000ull, 0x7fffffffffffffffull,
						0x8000000000000000ull };

		*c0 = chance(50) ? odd[below(sizeof(odd) / sizeof(odd[0]))] + below(5) - 2
				 : bound + below(64) - 32;
	} else {
		*c0 = (bound - (uint64_t)(int64_t)s->dir * want) & mask;
	}
	if (!s->w64 && chance(40))
		*c0 |= rnd() << 32;   /* the 32-bit compare must ignore these */
	return true;
}

struct copy_prog {
	struct builder b;
	size_t head;
	uint64_t c0[2];
	uint64_t n[2];
	bool two_starts;
	bool never_exits;        /* the exit test cannot be true: no idiom */
	size_t head2;            /* the stack copy's second loop, or 0 */
};

/* Body of the loop, in a random valid order: the load before the store, the
 * pointer increments anywhere (offsets compensate). */
static void put_copy_body(struct builder *p, const struct copy_shape *s)
{
	uint8_t sz = size_code[s->width];
	int16_t w = (int16_t)s->width;

	{
		/* slots: 0 load, 1 store, 2 src++, 3 dst++, 4 counter, 5 temp */
		unsigned order[6] = { 0, 1, 2, 3, 4, 5 }, nr = s->extra_temp ? 6 : 5;
		bool src_moved = false, dst_moved = false, loaded = false;

		for (unsigned k = 0; k < nr; k++) {
			unsigned j = k + (unsigned)below(nr - k), t = order[k];

			order[k] = order[j];
			order[j] = t;
		}
		/* the store after the load */
		for (unsigned k = 0; k < nr; k++)
			if (order[k] == 0 || order[k] == 1)
				order[k] = loaded ? 1 : (loaded = true, 0);
		for (unsigned k = 0; k < nr; k++) {
			switch (order[k]) {
			case 0:
				put(p, BPF_LDX | s->load_mode | sz, s->rt, s->rs, src_moved ? -w : 0, 0);
				if (s->loaded_copy)
					put(p, BPF_ALU64 | BPF_X | BPF_MOV, s->ry, s->rt, 0, 0);
				break;
			case 1:
				put(p, BPF_STX | BPF_MEM | sz, s->rd, s->rt, dst_moved ? -w : 0, 0);
				break;
			case 2:
				put(p, BPF_ALU64 | BPF_K | BPF_ADD, s->rs, 0, 0, w);
				src_moved = true;
				break;
			case 3:
				if (chance(50))
					put(p, BPF_ALU64 | BPF_K | BPF_ADD, s->rd, 0, 0, w);
				else
					put(p, BPF_ALU64 | BPF_K | BPF_SUB, s->rd, 0, 0, -w);
				dst_moved = true;
				break;
			case 4:
				if (chance(50))
					put(p, BPF_ALU64 | BPF_K | BPF_ADD, s->rc, 0, 0, s->dir);
				else
					put(p, BPF_ALU64 | BPF_K | BPF_SUB, s->rc, 0, 0, -s->dir);
				break;
			default:
				/* rx = rs + 5 (an affine temporary) */
				put(p, BPF_ALU64 | BPF_X | BPF_MOV, s->rx, s->rs, 0, 0);
				put(p, BPF_ALU64 | BPF_K | BPF_ADD, s->rx, 0, 0, 5);
				break;
			}
		}
	}
}

/* A random copy loop; false when the random choices do not make one. */
static bool make_copy_prog(struct copy_prog *cp, bool wild)
{
	static const unsigned widths[] = { 1, 1, 1, 2, 4, 8 };
	struct builder *p = &cp->b;
	struct copy_shape s = { 0 };
	unsigned regs[7];
	uint8_t ptr[10] = { SCALAR };
	uint64_t most_bytes, src_off, dst_off, span;
	size_t jcc, sel_jump = 0, skip = 0;
	bool stack_dst;

	memset(cp, 0, sizeof(*cp));
	s.width = widths[below(sizeof(widths) / sizeof(widths[0]))];
	s.index_form = s.width == 1 && chance(40);
	s.dir = s.index_form || chance(65) ? 1 : -1;
	s.ja_form = chance(50);
	s.w64 = chance(60);
	s.op = s.dir > 0 ? exit_up[below(5)] : exit_down[below(5)];
	if (s.index_form && !s.w64)
		s.w64 = true;   /* the counter is an address term */
	s.extra_temp = !s.index_form && chance(30);
	s.loaded_copy = chance(30);
	s.load_mode = s.width < 8 && chance(25) ? BPF_MEMSX : BPF_MEM;
	pick_regs(regs, 7);
	s.rc = regs[0]; s.rs = regs[1]; s.rd = regs[2]; s.rt = regs[3];
	s.ra = regs[4]; s.rx = regs[4]; s.ry = regs[5];

	cp->n[0] = pick_trips(s.width);
	if (!pick_counter(&s, cp->n[0], wild, &cp->c0[0]))
		return false;
	{
		uint64_t mask = s.w64 ? UINT64_MAX : UINT32_MAX;
		uint64_t m = (uint64_t)(int64_t)s.imm & mask;

		cp->never_exits = (s.op == BPF_JGT && m == mask) || (s.op == BPF_JLT && m == 0) ||
				  (s.op == BPF_JSGT && m == mask >> 1) ||
				  (s.op == BPF_JSLT && m == (mask >> 1) + 1);
	}
	cp->n[0] = trips(&s, cp->c0[0], 4000);
	if (!wild && !cp->n[0])
		return false;
	cp->two_starts = !s.index_form && chance(40);
	cp->c0[1] = cp->c0[0];
	cp->n[1] = cp->n[0];
	if (cp->two_starts) {
		cp->c0[1] = cp->c0[0] + (uint64_t)(int64_t)s.dir * below(cp->n[0] + 3) -
			    (chance(20) ? (uint64_t)(int64_t)s.dir * below(50) : 0);
		if (wild && chance(30))
			cp->c0[1] = rnd();
		cp->n[1] = trips(&s, cp->c0[1], 4000);
		if (!wild && !cp->n[1])
			return false;
	}
	if (s.index_form) {
		/* the counter is the index: keep it small and non-negative */
		for (int k = 0; k < 2; k++)
			if (cp->c0[k] > 2000)
				return false;
	}
	most_bytes = s.width * (cp->n[0] > cp->n[1] ? cp->n[0] : cp->n[1]);
	if (most_bytes == 0)
		most_bytes = s.width;   /* wild: the interpreter decides */
	if (most_bytes > COPY_AREA / 2) {
		if (!wild)
			return false;
		most_bytes = COPY_AREA / 2;
	}
	/* Where src and dst start: apart or overlapping either way. */
	span = COPY_AREA - most_bytes;
	src_off = below(span / 2);
	if (chance(40)) {
		int64_t delta = (int64_t)below(2 * s.width + 3) - (int64_t)s.width - 1;

		if (chance(50))
			delta = (int64_t)below(40) - 20;
		dst_off = (uint64_t)((int64_t)src_off + delta);
		if ((int64_t)dst_off < 0 || dst_off > span)
			dst_off = src_off;
	} else {
		dst_off = below(span);
	}
	stack_dst = !wild && !s.index_form && !cp->two_starts &&
		    most_bytes <= SEL_BYTE - COPY_AREA && chance(25);
	if (stack_dst) {
		/* the destination is the stack: r10 - 512 + offset */
		dst_off = below(UEBPF_STACK_SIZE - most_bytes + 1);
		dst_off -= UEBPF_STACK_SIZE;
		dst_off &= ~(uint64_t)(s.width - 1);   /* the stack wants aligned accesses */
		if (chance(30))
			dst_off = -(uint64_t)most_bytes;   /* ends at r10 */
	}
	if (s.index_form) {
		/* address = rs + counter: rs = input + src_off - c0, and the
		 * store's offset is the distance to dst */
		if (src_off < cp->c0[0])
			return false;
		src_off -= cp->c0[0];
		dst_off -= cp->c0[0];
	}

	/* prologue: every register defined, pointers into the input */
	put(p, BPF_ALU64 | BPF_X | BPF_MOV, 9, 1, 0, 0);
	for (unsigned r = 0; r <= 8; r++)
		put_const(p, r, chance(50) ? below(1000) : rnd());
	put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.rs, 9, 0, 0);
	put(p, BPF_ALU64 | BPF_K | BPF_ADD, s.rs, 0, 0, (int32_t)src_off);
	ptr[s.rs] = INPUT_PTR;
	if (!s.index_form) {
		put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.rd, stack_dst ? 10 : 9, 0, 0);
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, s.rd, 0, 0, (int32_t)dst_off);
		ptr[s.rd] = stack_dst ? STACK_PTR : INPUT_PTR;
	}
	if (cp->two_starts) {
		/* counter = input[SEL_BYTE] ? c0[1] : c0[0] */
		put(p, BPF_LDX | BPF_MEM | BPF_B, s.rc, 9, SEL_BYTE, 0);
		sel_jump = put(p, BPF_JMP | BPF_K | BPF_JNE, s.rc, 0, 0, 0);
		put_lddw(p, s.rc, cp->c0[0]);
		skip = put(p, BPF_JMP | BPF_JA, 0, 0, 0, 0);
		land_here(p, sel_jump);
		put_lddw(p, s.rc, cp->c0[1]);
		land_here(p, skip);
	} else {
		put_const(p, s.rc, cp->c0[0]);
	}

	cp->head = p->n;
	if (s.index_form) {
		/* ra = rs + rc; rt = [ra]; [ra + (dst - src)] = rt; rc += 1 */
		if (chance(50)) {
			put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.ra, s.rs, 0, 0);
			put(p, BPF_ALU64 | BPF_X | BPF_ADD, s.ra, s.rc, 0, 0);
		} else {
			put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.ra, s.rc, 0, 0);
			put(p, BPF_ALU64 | BPF_X | BPF_ADD, s.ra, s.rs, 0, 0);
		}
		put(p, BPF_LDX | s.load_mode | BPF_B, s.rt, s.ra, 0, 0);
		if (s.loaded_copy)
			put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.ry, s.rt, 0, 0);
		put(p, BPF_STX | BPF_MEM | BPF_B, s.ra, s.rt,
		    (int16_t)((int64_t)dst_off - (int64_t)src_off), 0);
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, s.rc, 0, 0, 1);
	} else {
		put_copy_body(p, &s);
	}
	if (s.ja_form) {
		jcc = put(p, (s.w64 ? BPF_JMP : BPF_JMP32) | BPF_K | s.op, s.rc, 0, 1, s.imm);
		put(p, BPF_JMP | BPF_JA, 0, 0, (int16_t)((int64_t)cp->head - (int64_t)p->n - 1), 0);
	} else {
		jcc = put(p, (s.w64 ? BPF_JMP : BPF_JMP32) | BPF_K | negate(s.op), s.rc, 0, 0, s.imm);
		p->insn[jcc].off = (int16_t)((int64_t)cp->head - (int64_t)jcc - 1);
	}
	if (s.index_form)
		ptr[s.ra] = INPUT_PTR;
	if (s.extra_temp)
		ptr[s.rx] = INPUT_PTR;
	if (stack_dst) {
		/* copy the stack back where the comparison sees it, with a loop
		 * that addresses the stack as r10 + counter + offset */
		size_t head2, back;

		put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.rs, 9, 0, 0);
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, s.rs, 0, 0, COPY_AREA);
		put(p, BPF_ALU64 | BPF_K | BPF_MOV, s.rc, 0, 0, 0);
		head2 = cp->head2 = p->n;
		if (chance(50)) {
			put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.ra, 10, 0, 0);
			put(p, BPF_ALU64 | BPF_X | BPF_ADD, s.ra, s.rc, 0, 0);
		} else {
			put(p, BPF_ALU64 | BPF_X | BPF_MOV, s.ra, s.rc, 0, 0);
			put(p, BPF_ALU64 | BPF_X | BPF_ADD, s.ra, 10, 0, 0);
		}
		put(p, BPF_LDX | BPF_MEM | BPF_B, s.rt, s.ra, (int16_t)dst_off, 0);
		put(p, BPF_STX | BPF_MEM | BPF_B, s.rs, s.rt, 0, 0);
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, s.rs, 0, 0, 1);
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, s.rc, 0, 0, 1);
		back = put(p, BPF_JMP | BPF_K | BPF_JNE, s.rc, 0, 0, (int32_t)most_bytes);
		p->insn[back].off = (int16_t)((int64_t)head2 - (int64_t)back - 1);
		ptr[s.ra] = STACK_PTR;
		ptr[s.rs] = INPUT_PTR;
		ptr[s.rt] = SCALAR;
		ptr[s.rc] = SCALAR;
	}
	put_epilogue(p, ptr);
	return true;
}

static void check_copy_loops(bool verified)
{
	static uint8_t init[MEM_SIZE];
	unsigned made = 0, ran = 0, attempts = 0, on_stack = 0;

	rng_state = seed * 2 + (verified ? 0 : 1) + 0x1234567;
	while (made < nr_programs) {
		struct copy_prog *cp = malloc(sizeof(*cp));
		struct uebpf_prog *prog;
		struct jit_image *image = NULL;
		struct uebpf_error err = { 0 };

		assert_non_null(cp);
		assert_true(++attempts < nr_programs * 50);
		if (!make_copy_prog(cp, !verified)) {
			free(cp);
			continue;
		}
		made++;
		on_stack += cp->head2 != 0;
		prog = load(&cp->b, verified);
		assert_int_equal(jit_compile(prog, false, &image, &err), 0);
		if (code_has(image, cp->head, rep_movsb, sizeof(rep_movsb)) == cp->never_exits) {
			dump(&cp->b);
			print_message("program %u: head %zu\n", made, cp->head);
			fail_msg("the copy loop was not recognised");
		}
		if (cp->head2 && !code_has(image, cp->head2, rep_movsb, sizeof(rep_movsb)))
			fail_msg("the stack copy loop was not recognised");
		for (int sel = 0; sel < (cp->two_starts ? 2 : 1); sel++) {
			fill(init, made * 4 + (uint64_t)sel);
			init[SEL_BYTE] = (uint8_t)sel;
			if (verified) {
				compare_verified(prog, init);
				ran++;
			} else {
				ran += compare_unverified(prog, image, init);
			}
		}
		jit_image_free(image);
		uebpf_prog_destroy(prog);
		free(cp);
	}
	print_message("%u copy loops (%u to the stack), %u runs compared (%s)\n", made, on_stack,
		      ran, verified ? "verified" : "unverified");
	assert_true(ran >= made / 2);
}

static void test_copy_loops_verified(void **state)
{
	(void)state;
	check_copy_loops(true);
}

static void test_copy_loops_unverified(void **state)
{
	(void)state;
	check_copy_loops(false);
}

/* ---------------------------------------------------------- switch trees */

struct tree_prog {
	struct builder b;
	size_t root;
	unsigned nodes;
	bool has_small_constant;
	unsigned reg;
	size_t pending_join[MAX_INSNS];
	unsigned nr_pending;
};

/* A leaf: something different per leaf on r0 and memory, then to the join. */
static void put_leaf(struct tree_prog *t, unsigned id)
{
	struct builder *p = &t->b;
	unsigned other = (t->reg + 1 + (unsigned)below(8)) % 9;

	switch (below(4)) {
	case 0:
		put(p, BPF_ALU64 | BPF_K | BPF_MUL, 0, 0, 0, (int32_t)(2 * id + 3));
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, 0, 0, 0, (int32_t)id);
		break;
	case 1:
		put(p, BPF_ALU | BPF_K | BPF_XOR, 0, 0, 0, (int32_t)(0x9e3779b9u * id));
		put(p, BPF_ALU64 | BPF_X | BPF_ADD, 0, t->reg, 0, 0);
		break;
	case 2:
		put(p, BPF_ALU64 | BPF_K | BPF_MOV, other, 0, 0, (int32_t)id * 7);
		put(p, BPF_ALU64 | BPF_X | BPF_SUB, 0, other, 0, 0);
		break;
	default:
		put(p, BPF_ST | BPF_MEM | BPF_W, 9, 0, (int16_t)(8 + 4 * (id % 64)), (int32_t)id);
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, 0, 0, 0, (int32_t)id << 8);
		break;
	}
	if (chance(10)) {   /* exit straight from the leaf */
		put(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		return;
	}
	t->pending_join[t->nr_pending++] = put(p, BPF_JMP | BPF_JA, 0, 0, 0, 0);
}

static int32_t pick_node_imm(struct tree_prog *t)
{
	int32_t imm;

	if (chance(85))
		imm = (int32_t)below(80) - 4;
	else if (chance(50))
		imm = (int32_t)below(600) - 300;
	else
		imm = (int32_t)(uint32_t)rnd();
	if (imm >= 0 && imm < 255)
		t->has_small_constant = true;
	return imm;
}

static unsigned leaf_id;

/* A subtree as clang lays it out: the node, its fall-through subtree, then
 * the subtree its jump goes to. */
static void put_subtree(struct tree_prog *t, unsigned depth)
{
	static const uint8_t ops[] = { BPF_JEQ, BPF_JNE, BPF_JGT, BPF_JGE, BPF_JLT, BPF_JLE,
				       BPF_JSGT, BPF_JSGE, BPF_JSLT, BPF_JSLE, BPF_JSET };
	struct builder *p = &t->b;
	bool w64;
	size_t node;

	if (depth == 0 || (t->nodes >= 3 && chance(20)) || p->n > MAX_INSNS - 80) {
		put_leaf(t, leaf_id++);
		return;
	}
	w64 = chance(50);
	node = put(p, (w64 ? BPF_JMP : BPF_JMP32) | BPF_K | ops[below(sizeof(ops))], t->reg, 0, 0,
		   0);
	p->insn[node].imm = pick_node_imm(t);
	t->nodes++;
	put_subtree(t, depth - 1);
	land_here(p, node);
	put_subtree(t, depth - 1);
}

static void make_tree_prog(struct tree_prog *t)
{
	static const uint8_t loads[] = { BPF_B, BPF_H, BPF_W, BPF_DW };
	struct builder *p = &t->b;
	uint8_t ptr[10] = { SCALAR };

	memset(t, 0, sizeof(*t));
	t->reg = (unsigned)below(9);
	put(p, BPF_ALU64 | BPF_X | BPF_MOV, 9, 1, 0, 0);
	for (unsigned r = 0; r <= 8; r++)
		put_const(p, r, below(1000));
	/* the switch value from the input, sometimes narrowed as clang does */
	put(p, BPF_LDX | BPF_MEM | loads[below(4)], t->reg, 9, 0, 0);
	if (chance(30))
		put(p, BPF_ALU | BPF_K | BPF_AND, t->reg, 0, 0, 63);
	else if (chance(20))
		put(p, BPF_ALU64 | BPF_K | BPF_ADD, t->reg, 0, 0, (int32_t)below(9) - 4);
	t->root = p->n;
	while (t->nodes < 4) {
		/* retry until the tree is big enough */
		p->n = t->root;
		t->nodes = 0;
		t->nr_pending = 0;
		t->has_small_constant = false;
		put_subtree(t, 2 + (unsigned)below(6));
	}
	for (unsigned k = 0; k < t->nr_pending; k++)
		land_here(p, t->pending_join[k]);
	put_epilogue(p, ptr);
}

/* Values for the switch register: the table's range and its edges, wide
 * values whose low bits are in range, negatives. */
static uint64_t pick_value(unsigned k)
{
	if (k < 300)
		return k - 3;
	switch (below(4)) {
	case 0: return (uint64_t)below(300) | (rnd() << 32);
	case 1: return (uint64_t)below(300) | (1ull << 32);
	case 2: return (uint64_t)-(int64_t)below(300);
	default: return rnd();
	}
}

static void test_switch_trees(void **state)
{
	static uint8_t init[MEM_SIZE];
	unsigned fired = 0;

	(void)state;
	rng_state = seed * 2 + 0x7654321;
	for (unsigned made = 0; made < nr_programs; made++) {
		struct tree_prog *t = malloc(sizeof(*t));
		struct uebpf_prog *prog;
		struct jit_image *image = NULL;
		struct uebpf_error err = { 0 };
		bool has_table;

		assert_non_null(t);
		make_tree_prog(t);
		prog = load(&t->b, true);
		assert_int_equal(jit_compile(prog, false, &image, &err), 0);
		has_table = code_has(image, t->root, jmp_r11, sizeof(jmp_r11));
		/* a tree of >= 4 nodes with a constant in [0, 255) gets a table */
		if (t->has_small_constant && !has_table) {
			print_message("program %u: root %zu\n", made, t->root);
			fail_msg("the switch tree got no table");
		}
		fired += has_table;
		fill(init, made);
		for (unsigned k = 0; k < 320; k++) {
			uint64_t v = pick_value(k);

			memcpy(init, &v, sizeof(v));
			compare_verified(prog, init);
		}
		jit_image_free(image);
		uebpf_prog_destroy(prog);
		free(t);
	}
	print_message("%u switch trees, %u with a table, 640 runs each\n", nr_programs, fired);
	assert_true(fired >= nr_programs / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_copy_loops_verified),
		cmocka_unit_test(test_copy_loops_unverified),
		cmocka_unit_test(test_switch_trees),
	};
	const char *count = getenv("UEBPF_IDIOM_COUNT"), *s = getenv("UEBPF_IDIOM_SEED");

	if (count)
		nr_programs = (unsigned)strtoul(count, NULL, 10);
	if (s)
		seed = strtoull(s, NULL, 10);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
