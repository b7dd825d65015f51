/* SPDX-License-Identifier: MIT */
/*
 * The x86-64 JIT. Every program runs in the checked interpreter and the
 * checked JIT (and, where the program is well-behaved, in both engines
 * unchecked and in a constant-blinded, baseline-x86-64 JIT image); the results must agree
 * exactly: return code, error message, r0 and memory. Tests that know the
 * answer also check it, so a bug shared by both engines still fails.
 *
 * Also: register-allocation sweeps (every register pair through div, mod and
 * shifts, whose x86 forms use fixed registers), helpers and their argument
 * order, exits requested by helpers, local calls and their frames, callx,
 * legacy packet loads, checked-mode faults, the budget, W^X of the code,
 * blinding, the per-instruction offsets and the disassembly listing.
 */
#include <errno.h>
#include <pthread.h>
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
#include "uebpf/asm.h"
#include "uebpf/uebpf.h"

#define INSN(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (int16_t)(OFF), .imm = (IMM) })
#define LDDW(D, V) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, D, 0, 0, (int32_t)(uint32_t)(uint64_t)(V)), \
	INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(V) >> 32))
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* ------------------------------------------------------------- helpers */

struct call_log {
	uint64_t args[8][5];
	unsigned nr;
};

static uint8_t grant_buf[32];   /* one buffer, so addresses match across runs */

static uint64_t h_record(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			 struct uebpf_run_ctx *rc)
{
	struct call_log *log = uebpf_run_ctx_user(rc);

	if (log && log->nr < 8) {
		uint64_t *p = log->args[log->nr];

		p[0] = a; p[1] = b; p[2] = c; p[3] = d; p[4] = e;
	}
	if (log)
		log->nr++;
	return a * 1000 + b * 100 + c * 10 + d + e * 100000;
}

static uint64_t h_unwind(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			 struct uebpf_run_ctx *rc)
{
	(void)b; (void)c; (void)d; (void)e;
	if (!a)
		uebpf_run_ctx_exit(rc, 0);
	return a;
}

static uint64_t h_exit_with(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			    struct uebpf_run_ctx *rc)
{
	(void)b; (void)c; (void)d; (void)e;
	uebpf_run_ctx_exit(rc, a);
	return 12345;
}

/* Clobbers every caller-saved register it may, as a real helper would. */
static uint64_t h_clobber(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			  struct uebpf_run_ctx *rc)
{
	(void)a; (void)b; (void)c; (void)d; (void)e; (void)rc;
	__asm__ volatile("xor %%edi, %%edi; xor %%esi, %%esi; xor %%edx, %%edx; "
			 "xor %%ecx, %%ecx; xor %%r8d, %%r8d; xor %%r9d, %%r9d; "
			 "xor %%r10d, %%r10d; xor %%r11d, %%r11d"
			 ::: "rdi", "rsi", "rdx", "rcx", "r8", "r9", "r10", "r11", "memory");
	return 77;
}

static uint64_t h_grant(uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e,
			struct uebpf_run_ctx *rc)
{
	(void)b; (void)c; (void)d; (void)e;
	if (run_ctx_grant(rc, grant_buf, sizeof(grant_buf), a != 0))
		return 0;
	return (uint64_t)(uintptr_t)grant_buf;
}

static struct uebpf_helper_set *helpers;

static int setup(void **state)
{
	static const struct uebpf_helper_proto protos[] = {
		{ .id = 1, .name = "record", .fn = h_record },
		{ .id = 2, .name = "exit_with", .fn = h_exit_with },
		{ .id = 3, .name = "clobber", .fn = h_clobber },
		{ .id = 4, .name = "grant", .fn = h_grant },
		{ .id = 5, .name = "unwind", .fn = h_unwind },
	};
	struct uebpf_error err = { 0 };

	(void)state;
	if (uebpf_helper_set_create(&helpers, &err))
		return -1;
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (uebpf_helper_set_add(helpers, &protos[i], &err))
			return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	uebpf_helper_set_destroy(helpers);
	return 0;
}

/* ------------------------------------------------------------- harness */

#define MEM_MAX 256

struct input {
	const uint8_t *mem;          /* NULL: no input memory */
	size_t mem_len;
	bool readonly;
	uint64_t budget;
	const struct uebpf_region *regions;
	size_t nr_regions;
};

struct outcome {
	int ret;
	uint64_t r0;
	char msg[UEBPF_ERRMSG_MAX];
	uint8_t mem[MEM_MAX];
	struct call_log log;
};

static uint8_t run_mem[MEM_MAX];   /* one buffer, so addresses match across runs */

static void run(struct uebpf_prog *prog, const struct input *in, enum uebpf_engine engine,
		bool unchecked, struct outcome *o)
{
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts),
		.mem = in->mem ? run_mem : NULL,
		.mem_len = in->mem ? in->mem_len : 0,
		.mem_readonly = in->readonly,
		.insn_budget = in->budget,
		.regions = in->regions,
		.nr_regions = in->nr_regions,
		.engine = engine,
		.flags = unchecked ? UEBPF_RUN_UNCHECKED : 0,
	};
	struct uebpf_error err = { 0 };

	memset(o, 0, sizeof(*o));
	opts.user = &o->log;
	memset(run_mem, 0, sizeof(run_mem));
	if (in->mem)
		memcpy(run_mem, in->mem, in->mem_len);
	o->ret = uebpf_prog_run(prog, &opts, &o->r0, &err);
	if (o->ret)
		snprintf(o->msg, sizeof(o->msg), "%s", err.msg);
	memcpy(o->mem, run_mem, sizeof(run_mem));
}

static struct uebpf_prog *load(const struct bpf_insn *insns, size_t cnt)
{
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = "t", .helpers = helpers };
	struct uebpf_prog *prog = NULL;
	struct uebpf_error err = { 0 };

	if (uebpf_prog_load(insns, cnt, &opts, &prog, &err))
		fail_msg("load: %s", err.msg);
	return prog;
}

static void same(const struct outcome *a, const struct outcome *b, const char *what)
{
	if (a->ret != b->ret || strcmp(a->msg, b->msg) || (!a->ret && a->r0 != b->r0) ||
	    memcmp(a->mem, b->mem, sizeof(a->mem)) || a->log.nr != b->log.nr ||
	    memcmp(a->log.args, b->log.args, sizeof(a->log.args)))
		fail_msg("%s: interpreter and JIT differ: ret %d/%d r0 0x%llx/0x%llx calls %u/%u\n"
			 "  interp: %s\n  jit:    %s", what, a->ret, b->ret,
			 (unsigned long long)a->r0, (unsigned long long)b->r0, a->log.nr, b->log.nr,
			 a->msg, b->msg);
}

enum { WELL_BEHAVED = 1 };   /* may also run unchecked */

/* Runs `insns` in every engine configuration and returns the checked JIT's
 * outcome in *out after checking they all agree. */
static void run_all(const struct bpf_insn *insns, size_t cnt, const struct input *in,
		    int flags, struct outcome *out)
{
	static struct outcome ref, o;
	struct uebpf_prog *prog = load(insns, cnt), *blinded = load(insns, cnt);
	struct jit_opts jo = { .checked = true, .blind = true, .baseline_isa = true };
	struct uebpf_error err = { 0 };

	run(prog, in, UEBPF_ENGINE_INTERP, false, &ref);
	run(prog, in, UEBPF_ENGINE_JIT, false, out);
	same(&ref, out, "checked");

	if (jit_compile_opts(blinded, &jo, &blinded->jit_checked, &err))
		fail_msg("blinded compile: %s", err.msg);
	run(blinded, in, UEBPF_ENGINE_JIT, false, &o);
	same(&ref, &o, "blinded");

	if (flags & WELL_BEHAVED) {
		prog->verified = true;   /* stands in for the verifier */
		run(prog, in, UEBPF_ENGINE_INTERP, true, &ref);
		run(prog, in, UEBPF_ENGINE_JIT, true, &o);
		same(&ref, &o, "unchecked");
		same(&ref, out, "unchecked vs checked");
	}
	uebpf_prog_destroy(prog);
	uebpf_prog_destroy(blinded);
}

/* Assembles `text` and runs it everywhere; returns the JIT's outcome. */
static void run_asm(const char *text, const struct input *in, int flags, struct outcome *out)
{
	struct bpf_insn *insns = NULL;
	size_t cnt = 0;
	struct uebpf_error err = { 0 };

	if (uebpf_asm(text, &insns, &cnt, &err))
		fail_msg("asm: %s\n%s", err.msg, text);
	run_all(insns, cnt, in, flags, out);
	free(insns);
}

static uint64_t r0_of(const char *text)
{
	static struct outcome o;
	struct input in = { 0 };

	run_asm(text, &in, WELL_BEHAVED, &o);
	if (o.ret)
		fail_msg("%s\nfailed: %s", text, o.msg);
	return o.r0;
}

/* ------------------------------------------------------------ ALU sweeps */

static const uint64_t edge[] = {
	0, 1, 2, 5, 31, 32, 63, 64, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
	0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
	0xfffffffffffffffbull, 0xffffffff80000000ull, 0x0123456789abcdefull,
};
#define NR_EDGE (sizeof(edge) / sizeof(edge[0]))

/* Program: every register r0..r9 set to a distinct value, dst = a,
 * src = b, one operation, then r0 = a hash of r0..r9 (so a clobbered
 * register shows). */
static size_t alu_prog(struct bpf_insn *p, struct bpf_insn op, uint64_t a, uint64_t b)
{
	size_t n = 0;

	for (uint8_t r = 0; r < 10; r++) {
		struct bpf_insn l[2] = { LDDW(r, 0x1111111111111111ull * (r + 1) ^ 0x0f0f) };

		p[n++] = l[0];
		p[n++] = l[1];
	}
	{
		struct bpf_insn lb[2] = { LDDW(op.src_reg, b) };
		struct bpf_insn la[2] = { LDDW(op.dst_reg, a) };

		if (isa_src(op.code) == BPF_X && isa_class(op.code) != BPF_LD) {
			p[n++] = lb[0];
			p[n++] = lb[1];
		}
		p[n++] = la[0];
		p[n++] = la[1];
	}
	p[n++] = op;
	for (uint8_t r = 1; r < 10; r++) {
		p[n++] = INSN(BPF_ALU64 | BPF_MUL | BPF_K, 0, 0, 0, 31);
		p[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, r, 0, 0);
	}
	p[n++] = EXIT();
	return n;
}

static void test_alu_sweep(void **state)
{
	static const uint8_t ops[] = { BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND,
				       BPF_LSH, BPF_RSH, BPF_MOD, BPF_XOR, BPF_MOV, BPF_ARSH };
	struct bpf_insn p[64];
	static struct outcome o;
	struct input in = { 0 };

	(void)state;
	for (size_t k = 0; k < sizeof(ops); k++)
		for (int cls = 0; cls < 2; cls++)
			for (int sgn = 0; sgn < 2; sgn++) {
				uint8_t c = cls ? BPF_ALU64 : BPF_ALU;

				if (sgn && ops[k] != BPF_DIV && ops[k] != BPF_MOD)
					continue;
				for (size_t i = 0; i < NR_EDGE; i++)
					for (size_t j = 0; j < NR_EDGE; j += 2) {
						struct bpf_insn x = INSN(c | ops[k] | BPF_X, 3, 4, sgn, 0);
						struct bpf_insn kk = INSN(c | ops[k] | BPF_K, 3, 0, sgn,
									  (int32_t)edge[j]);

						run_all(p, alu_prog(p, x, edge[i], edge[j]), &in,
							WELL_BEHAVED, &o);
						run_all(p, alu_prog(p, kk, edge[i], 0), &in,
							WELL_BEHAVED, &o);
					}
			}
}

/* div, mod and shifts use rax/rdx/rcx on x86, which hold r0, r3 and r4:
 * every (dst, src) pair must leave the other registers alone. */
static void test_fixed_register_ops(void **state)
{
	static const struct { uint8_t op; int16_t off; } ops[] = {
		{ BPF_DIV, 0 }, { BPF_DIV, 1 }, { BPF_MOD, 0 }, { BPF_MOD, 1 },
		{ BPF_LSH, 0 }, { BPF_RSH, 0 }, { BPF_ARSH, 0 },
	};
	static const uint64_t pairs[][2] = {
		{ 0xfedcba9876543210ull, 7 }, { 100, 0 }, { 0x8000000000000000ull, -1ull },
		{ 0x80000000, 0xffffffff }, { 0xffffffff12345678ull, 33 }, { 12345, 0xffffffff00000003ull },
	};
	struct bpf_insn p[64];
	static struct outcome o;
	struct input in = { 0 };

	(void)state;
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		for (int cls = 0; cls < 2; cls++)
			for (uint8_t d = 0; d < 10; d++)
				for (uint8_t s = 0; s < 10; s++)
					for (size_t v = 0; v < sizeof(pairs) / sizeof(pairs[0]); v += (d == s ? 6 : 1)) {
						struct bpf_insn x = INSN((cls ? BPF_ALU64 : BPF_ALU) | ops[k].op | BPF_X,
									 d, s, ops[k].off, 0);

						run_all(p, alu_prog(p, x, pairs[v][0], pairs[v][1]), &in,
							WELL_BEHAVED, &o);
					}
}

static void test_unary_sweep(void **state)
{
	struct bpf_insn p[64];
	static struct outcome o;
	struct input in = { 0 };
	struct bpf_insn ops[] = {
		INSN(BPF_ALU64 | BPF_NEG, 0, 0, 0, 0), INSN(BPF_ALU | BPF_NEG, 0, 0, 0, 0),
		INSN(BPF_ALU | BPF_END | BPF_TO_LE, 0, 0, 0, 16),
		INSN(BPF_ALU | BPF_END | BPF_TO_LE, 0, 0, 0, 32),
		INSN(BPF_ALU | BPF_END | BPF_TO_LE, 0, 0, 0, 64),
		INSN(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 16),
		INSN(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 32),
		INSN(BPF_ALU | BPF_END | BPF_TO_BE, 0, 0, 0, 64),
		INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 0, 0, 16),
		INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 0, 0, 32),
		INSN(BPF_ALU64 | BPF_END | BPF_TO_LE, 0, 0, 0, 64),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, 0, 8, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, 0, 16, 0),
		INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, 0, 32, 0),
		INSN(BPF_ALU | BPF_MOV | BPF_X, 0, 0, 8, 0),
		INSN(BPF_ALU | BPF_MOV | BPF_X, 0, 0, 16, 0),
	};

	(void)state;
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		for (uint8_t d = 0; d < 10; d++)
			for (size_t i = 0; i < NR_EDGE; i += 3) {
				struct bpf_insn op = ops[k];

				op.dst_reg = d;
				if (isa_src(op.code) == BPF_X && isa_op(op.code) == BPF_MOV)
					op.src_reg = (uint8_t)((d + 5) % 10);
				run_all(p, alu_prog(p, op, edge[i], edge[NR_EDGE - 1 - i]), &in,
					WELL_BEHAVED, &o);
			}
}

/* Known answers, independent of the interpreter. */
static void test_alu_edge_cases(void **state)
{
	(void)state;
	/* division and modulo by zero (RFC 9669) */
	assert_int_equal(r0_of("mov %r0, 7\nmov %r1, 0\ndiv %r0, %r1\nexit"), 0);
	assert_int_equal(r0_of("mov %r0, 7\nmov %r1, 0\nmod %r0, %r1\nexit"), 7);
	assert_int_equal(r0_of("lddw %r0, 0x100000007\nmov %r1, 0\nmod32 %r0, %r1\nexit"), 7);
	assert_int_equal(r0_of("lddw %r0, 0x100000007\nmod32 %r0, 0\nexit"), 7);
	assert_int_equal(r0_of("mov %r0, -7\nmov %r1, 0\nsdiv %r0, %r1\nexit"), 0);
	assert_int_equal(r0_of("mov %r0, -7\nmov %r1, 0\nsmod %r0, %r1\nexit"), (uint64_t)-7);
	/* INT_MIN / -1 does not trap */
	assert_int_equal(r0_of("lddw %r0, 0x8000000000000000\nmov %r1, -1\nsdiv %r0, %r1\nexit"),
			 0x8000000000000000ull);
	assert_int_equal(r0_of("lddw %r0, 0x8000000000000000\nmov %r1, -1\nsmod %r0, %r1\nexit"), 0);
	assert_int_equal(r0_of("mov32 %r0, 0x80000000\nmov %r1, -1\nsdiv32 %r0, %r1\nexit"),
			 0x80000000);
	assert_int_equal(r0_of("lddw %r0, 0x8000000000000000\nsdiv %r0, -1\nexit"),
			 0x8000000000000000ull);
	assert_int_equal(r0_of("mov %r0, -7\nsmod %r0, 2\nexit"), (uint64_t)-1);
	/* unsigned division by an immediate -1 divides by 2^64-1 */
	assert_int_equal(r0_of("mov %r0, -1\ndiv %r0, -1\nexit"), 1);
	/* r0 and r3 (rax, rdx) as divisor and dividend */
	assert_int_equal(r0_of("mov %r3, 100\nmov %r0, 7\ndiv %r3, %r0\nmov %r0, %r3\nexit"), 14);
	assert_int_equal(r0_of("mov %r3, 100\nmov %r0, 7\nmod %r0, %r3\nexit"), 7);
	/* shift counts are masked */
	assert_int_equal(r0_of("mov %r0, 1\nmov %r1, 65\nlsh %r0, %r1\nexit"), 2);
	assert_int_equal(r0_of("mov %r0, 1\nmov %r1, 33\nlsh32 %r0, %r1\nexit"), 2);
	assert_int_equal(r0_of("mov %r0, 1\nlsh %r0, 65\nexit"), 2);
	/* 32-bit results are zero-extended, even for a shift by 0 */
	assert_int_equal(r0_of("mov %r0, -1\nmov %r1, 0\nlsh32 %r0, %r1\nexit"), 0xffffffff);
	assert_int_equal(r0_of("mov %r0, -1\nmov %r4, 32\narsh32 %r0, %r4\nexit"), 0xffffffff);
	assert_int_equal(r0_of("mov %r0, -1\nlsh32 %r0, 0\nexit"), 0xffffffff);
	assert_int_equal(r0_of("mov %r0, -1\nadd32 %r0, 1\nexit"), 0);
	assert_int_equal(r0_of("mov %r0, -1\nmov32 %r0, %r0\nexit"), 0xffffffff);
	assert_int_equal(r0_of("mov32 %r0, -1\nexit"), 0xffffffff);
	assert_int_equal(r0_of("mov %r0, -1\nneg32 %r0\nexit"), 1);
	/* sign extension */
	assert_int_equal(r0_of("mov %r1, 0x80\nmovsx864 %r0, %r1\nexit"), 0xffffffffffffff80ull);
	assert_int_equal(r0_of("mov %r1, 0x8000\nmovsx1632 %r0, %r1\nexit"), 0xffff8000);
	assert_int_equal(r0_of("mov32 %r1, 0x80000000\nmovsx3264 %r0, %r1\nexit"),
			 0xffffffff80000000ull);
	/* byte swaps */
	assert_int_equal(r0_of("lddw %r0, 0x1122334455667788\nbe16 %r0\nexit"), 0x8877);
	assert_int_equal(r0_of("lddw %r0, 0x1122334455667788\nbe32 %r0\nexit"), 0x88776655);
	assert_int_equal(r0_of("lddw %r0, 0x1122334455667788\nle16 %r0\nexit"), 0x7788);
	assert_int_equal(r0_of("lddw %r0, 0x1122334455667788\nbswap64 %r0\nexit"),
			 0x8877665544332211ull);
	/* byte registers sil/dil/bpl need a REX prefix */
	assert_int_equal(r0_of("mov %r2, 0x1ff\nmovsx864 %r0, %r2\nexit"), (uint64_t)-1);
}

/* ---------------------------------------------------------------- jumps */

static void test_jump_sweep(void **state)
{
	static const uint8_t ops[] = { BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT,
				       BPF_JSGE, BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE };
	static const uint64_t vals[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff,
					 0x100000000ull, 0xffffffff00000001ull,
					 0x8000000000000000ull, 0xffffffffffffffffull };
	static struct outcome o;
	struct input in = { 0 };

	(void)state;
	for (size_t k = 0; k < sizeof(ops); k++)
		for (int cls = 0; cls < 2; cls++)
			for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
				for (size_t j = 0; j < sizeof(vals) / sizeof(vals[0]); j++)
					for (int x = 0; x < 2; x++) {
						uint8_t c = (cls ? BPF_JMP : BPF_JMP32) | ops[k] |
							    (x ? BPF_X : BPF_K);
						struct bpf_insn p[] = {
							LDDW(1, vals[i]), LDDW(2, vals[j]),
							INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1),
							INSN(c, 1, x ? 2 : 0, 1, x ? 0 : (int32_t)vals[j]),
							INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 2),
							EXIT(),
						};

						run_all(p, sizeof(p) / sizeof(p[0]), &in, WELL_BEHAVED, &o);
					}
	assert_int_equal(r0_of("mov %r0, 1\nja32 +1\nmov %r0, 2\nexit"), 1);
	assert_int_equal(r0_of("mov %r0, 0\nmov %r1, 10\nadd %r0, 3\nsub %r1, 1\n"
			       "jne %r1, 0, -3\nexit"), 30);
}

/* --------------------------------------------------------------- memory */

static void test_memory(void **state)
{
	static struct outcome o;
	uint8_t mem[64];
	struct input in = { .mem = mem, .mem_len = sizeof(mem) };

	(void)state;
	for (size_t i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)(0x81 + i * 7);
	run_asm("ldxb %r2, [%r1+1]\nldxh %r3, [%r1+2]\nldxw %r4, [%r1+4]\nldxdw %r5, [%r1+8]\n"
		"ldxsb %r6, [%r1+1]\nldxsh %r7, [%r1+2]\nldxsw %r8, [%r1+4]\n"
		"stxb [%r1+16], %r5\nstxh [%r1+18], %r5\nstxw [%r1+20], %r5\nstxdw [%r1+24], %r5\n"
		"stb [%r1+32], -1\nsth [%r1+34], -2\nstw [%r1+36], -3\nstdw [%r1+40], -4\n"
		"stxdw [%r10-8], %r6\nstxw [%r10-12], %r7\nstxh [%r10-14], %r8\nstxb [%r10-15], %r2\n"
		"stb [%r10-16], 0x11\n"   /* unchecked runs: no byte read unwritten */
		"ldxdw %r9, [%r10-16]\nstxdw [%r1+48], %r9\n"
		"mov %r0, %r2\nadd %r0, %r3\nadd %r0, %r4\nadd %r0, %r5\nadd %r0, %r6\n"
		"add %r0, %r7\nadd %r0, %r8\nexit", &in, WELL_BEHAVED, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.mem[32], 0xff);
	assert_int_equal(*(uint64_t *)&o.mem[40], (uint64_t)-4);

	/* every register as base and as value, r0 included */
	for (uint8_t b = 0; b < 10; b++)
		for (uint8_t v = 0; v < 10; v++) {
			struct bpf_insn p[] = {
				INSN(BPF_ALU64 | BPF_MOV | BPF_X, b, 1, 0, 0),
				/* with v == b the base itself is stored */
				v == b ? INSN(BPF_ALU64 | BPF_MOV | BPF_X, b, b, 0, 0)
				       : INSN(BPF_ALU64 | BPF_MOV | BPF_K, v, 0, 0, 0x5a5a),
				INSN(BPF_STX | BPF_MEM | BPF_H, b, v, 6, 0),
				INSN(BPF_STX | BPF_MEM | BPF_B, b, v, 9, 0),
				INSN(BPF_LDX | BPF_MEM | BPF_W, v, b, 4, 0),
				INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, v, 0, 0),
				EXIT(),
			};

			run_all(p, sizeof(p) / sizeof(p[0]), &in, WELL_BEHAVED, &o);
			assert_int_equal(o.ret, 0);
		}
}

static void test_atomics(void **state)
{
	static const int32_t ops[] = { BPF_ADD, BPF_OR, BPF_AND, BPF_XOR,
				       BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH,
				       BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH, BPF_XCHG,
				       BPF_CMPXCHG };
	static struct outcome o;
	uint8_t mem[32] = { 0 };
	struct input in = { .mem = mem, .mem_len = sizeof(mem) };
	struct bpf_insn p[64];

	(void)state;
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		for (int w = 0; w < 2; w++)
			for (uint8_t base = 0; base <= 10; base++)
				for (uint8_t src = 0; src <= 10; src++) {
					int16_t off = base == 10 ? -16 : 8;
					uint8_t out = base == 10 ? (src == 9 ? 8 : 9) : base;
					size_t n = 0;

					/* (cmpxchg writes r0, so r0 cannot be its base here) */
					if (src == base || base == 1 || (base == 0 && ops[k] == BPF_CMPXCHG))
						continue;
					if (src == 10 && ops[k] != BPF_CMPXCHG && (ops[k] & BPF_FETCH))
						continue;
					/* base = the input memory (or the frame), every other
					 * register a distinct value, the memory one of them */
					if (base != 10)
						p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, base, 1, 0, 0);
					for (uint8_t r = 0; r < 10; r++)
						if (r != base)
							p[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, r, 0, 0,
								      (int32_t)(0x81000000u + r * 0x10101u));
					p[n++] = INSN(BPF_ST | BPF_MEM | BPF_DW, base, 0, off,
						      (int32_t)(0x81000000u + ((base + src) % 2) * 0x777));
					p[n++] = INSN(BPF_STX | BPF_ATOMIC | (w ? BPF_DW : BPF_W), base, src,
						      off, ops[k]);
					p[n++] = INSN(BPF_LDX | BPF_MEM | BPF_DW, out, base, off, 0);
					for (uint8_t r = 1; r < 10; r++) {
						p[n++] = INSN(BPF_ALU64 | BPF_MUL | BPF_K, 0, 0, 0, 31);
						p[n++] = INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, r, 0, 0);
					}
					p[n++] = EXIT();
					run_all(p, n, &in, WELL_BEHAVED, &o);
					assert_int_equal(o.ret, 0);
				}
	/* 32-bit cmpxchg zero-extends r0 whether or not it stores */
	assert_int_equal(r0_of("stdw [%r10-8], 5\nmov %r0, -1\nmov %r1, 9\n"
			       "lock cmpxchg32 [%r10-8], %r1\nexit"), 5);
	assert_int_equal(r0_of("lddw %r0, 0xffffffff00000005\nstdw [%r10-8], 5\nmov %r1, 9\n"
			       "lock cmpxchg32 [%r10-8], %r1\nexit"), 5);
	assert_int_equal(r0_of("stdw [%r10-8], 5\nmov %r1, 3\nlock fetch or [%r10-8], %r1\n"
			       "ldxdw %r0, [%r10-8]\nlsh %r0, 8\nor %r0, %r1\nexit"), 0x705);
}

/* ------------------------------------------------------ packet loads */

static void test_packet_loads(void **state)
{
	static struct outcome o;
	uint8_t mem[16];
	struct input in = { .mem = mem, .mem_len = sizeof(mem) };

	(void)state;
	for (size_t i = 0; i < sizeof(mem); i++)
		mem[i] = (uint8_t)(0x10 + i);
	run_asm("ldabsw 4\nmov %r9, %r0\nldabsh 14\nadd %r9, %r0\nldabsb 15\nadd %r9, %r0\n"
		"mov %r2, 3\nldindh %r2, 1\nadd %r0, %r9\nadd %r0, %r1\nadd %r0, %r5\nexit",
		&in, WELL_BEHAVED, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 0x14151617ull + 0x1e1f + 0x1f + 0x1415);
	/* out of range: the program ends with r0 = 0 */
	run_asm("mov %r0, 5\nldabsw 13\nmov %r0, 9\nexit", &in, WELL_BEHAVED, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 0);
	run_asm("mov %r0, 5\nmov %r3, -20\nldindb %r3, 4\nmov %r0, 9\nexit", &in, WELL_BEHAVED, &o);
	assert_int_equal(o.r0, 0);
	run_asm("mov %r0, 5\nldabsb -1\nmov %r0, 9\nexit", &in, WELL_BEHAVED, &o);
	assert_int_equal(o.r0, 0);
	/* the 32-bit offset wraps: 0xfffffff0 + 0x12 = 2 */
	run_asm("mov32 %r3, 0xfffffff0\nldindb %r3, 0x12\nexit", &in, WELL_BEHAVED, &o);
	assert_int_equal(o.r0, 0x12);
}

/* ------------------------------------------------------------- calls */

static void test_helpers(void **state)
{
	static struct outcome o;
	struct input in = { 0 };

	(void)state;
	/* argument order, r0 result, r1..r5 kept in checked mode */
	run_asm("mov %r1, 1\nmov %r2, 2\nmov %r3, 3\nmov %r4, 4\nmov %r5, 5\ncall 1\n"
		"mov %r6, %r0\ncall 3\nadd %r6, %r0\nadd %r6, %r1\nadd %r6, %r2\nadd %r6, %r3\n"
		"add %r6, %r4\nadd %r6, %r5\nmov %r0, %r6\nexit", &in, 0, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.log.nr, 1);
	assert_int_equal(o.log.args[0][0], 1);
	assert_int_equal(o.log.args[0][4], 5);
	assert_int_equal(o.r0, 1234 + 500000 + 77 + 15);
	/* r6..r9 and r10 survive a helper that clobbers everything it may */
	assert_int_equal(r0_of("mov %r6, 6\nmov %r7, 7\nmov %r8, 8\nmov %r9, 9\nstdw [%r10-8], 10\n"
			       "call 3\nldxdw %r0, [%r10-8]\nadd %r0, %r6\nadd %r0, %r7\n"
			       "add %r0, %r8\nadd %r0, %r9\nexit"), 40);
	/* a helper asks the program to stop */
	run_asm("mov %r1, 42\ncall 2\nmov %r0, 1\nexit", &in, WELL_BEHAVED, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 42);
	/* the conformance vectors' helper 5 */
	assert_int_equal(r0_of("mov %r1, 0\ncall 5\nmov %r0, 2\nexit"), 0);
	assert_int_equal(r0_of("mov %r1, -1\ncall 5\nmov %r0, 2\nexit"), 2);
}

static void test_callx(void **state)
{
	static struct outcome o;
	struct input in = { 0 };

	(void)state;
	assert_int_equal(r0_of("mov %r1, 3\nmov %r2, 2\nmov %r7, 1\ncall %r7\nexit"), 3200);
	/* a code address from lddw src=4 calls the sub-program */
	assert_int_equal(r0_of("mov %r6, 5\nlddw %r3, func sub\ncall %r3\nadd %r0, %r6\nexit\n"
			       "sub:\nmov %r6, 100\nmov %r0, %r6\nadd %r0, %r1\nexit"), 105);
	/* anything else stops the program */
	run_asm("mov %r8, 99\ncall %r8\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	assert_non_null(strstr(o.msg, "callx target 0x63"));
	assert_non_null(strstr(o.msg, "insn 1"));
	run_asm("lddw %r8, func next\nnext:\nadd %r8, 1\ncall %r8\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
}

static void test_local_calls(void **state)
{
	static struct outcome o;
	struct input in = { 0 };

	(void)state;
	/* r6..r9 preserved, r1..r5 passed, r10 one frame down */
	assert_int_equal(r0_of("mov %r6, 1\nmov %r7, 2\nmov %r8, 3\nmov %r9, 4\nmov %r1, 1000\n"
			       "stdw [%r10-8], 50000\ncall local f\n"
			       "add %r0, %r6\nadd %r0, %r7\nadd %r0, %r8\nadd %r0, %r9\n"
			       "ldxdw %r1, [%r10-8]\nadd %r0, %r1\nexit\n"
			       "f:\nmov %r6, 100\nmov %r7, 100\nmov %r8, 100\nmov %r9, 100\n"
			       "stdw [%r10-8], 7\nldxdw %r0, [%r10+504]\nadd %r0, %r1\nexit"),
			 50000 + 1000 + 10 + 50000);
	/* nested and recursive to the depth limit: 8 frames */
	assert_int_equal(r0_of("mov %r1, 6\ncall local f\nexit\n"
			       "f:\nmov %r0, 1\njeq %r1, 0, +4\nsub %r1, 1\ncall local f\nadd %r0, 1\nexit\n"
			       "exit"), 7);
	run_asm("mov %r1, 7\ncall local f\nexit\n"
		"f:\nmov %r0, 1\njeq %r1, 0, +4\nsub %r1, 1\ncall local f\nadd %r0, 1\nexit\nexit",
		&in, 0, &o);
	assert_int_equal(o.ret, -E2BIG);
	assert_non_null(strstr(o.msg, "call nesting exceeds 8 frames"));
	/* infinite recursion stops too */
	run_asm("call local f\nexit\nf:\ncall local f\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -E2BIG);
}

/* --------------------------------------------------- checked-mode faults */

static void test_faults(void **state)
{
	static struct outcome o;
	uint8_t mem[16] = { 1, 2, 3 };
	struct input in = { .mem = mem, .mem_len = sizeof(mem) };
	struct input ro = { .mem = mem, .mem_len = sizeof(mem), .readonly = true };
	uint64_t region_buf[2] = { 0x1234, 0 };
	struct uebpf_region region = { region_buf, sizeof(region_buf), false };
	struct input with_region = { .regions = &region, .nr_regions = 1 };
	char text[128];

	(void)state;
	run_asm("ldxdw %r0, [%r1+9]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	assert_non_null(strstr(o.msg, "insn 0"));
	assert_non_null(strstr(o.msg, "read of 8 bytes"));
	run_asm("ldxdw %r0, [%r1+8]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, 0);
	run_asm("ldxb %r0, [%r1-1]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	run_asm("mov %r0, 0\nstb [%r1+0], 1\nexit", &ro, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	assert_non_null(strstr(o.msg, "read-only"));
	run_asm("ldxb %r0, [%r1+0]\nexit", &ro, 0, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 1);
	/* the stack: above r10 and below the last frame */
	run_asm("ldxdw %r0, [%r10+0]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	run_asm("ldxdw %r0, [%r10-4100]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	run_asm("ldxdw %r0, [%r10-4096]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, 0);
	/* atomics: bounds and alignment */
	run_asm("mov %r2, 1\nlock add [%r1+12], %r2\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	run_asm("mov %r2, 1\nlock add [%r1+4], %r2\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	assert_non_null(strstr(o.msg, "misaligned"));
	run_asm("mov %r2, 1\nlock add32 [%r1+4], %r2\nmov %r0, 0\nexit", &in, 0, &o);
	assert_int_equal(o.ret, 0);
	/* wild pointers, including ones whose end wraps around */
	run_asm("lddw %r1, 0xfffffffffffffffc\nldxdw %r0, [%r1+0]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	run_asm("mov %r1, 0\nldxw %r0, [%r1+0]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	/* regions from the run options go through the slow path */
	snprintf(text, sizeof(text), "lddw %%r1, 0x%llx\nldxdw %%r0, [%%r1+0]\nexit",
		 (unsigned long long)(uintptr_t)region_buf);
	run_asm(text, &with_region, 0, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 0x1234);
	snprintf(text, sizeof(text), "lddw %%r1, 0x%llx\nstdw [%%r1+8], 1\nexit",
		 (unsigned long long)(uintptr_t)region_buf);
	run_asm(text, &with_region, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	/* memory a helper grants */
	run_asm("mov %r1, 1\ncall 4\nstdw [%r0+24], 9\nldxdw %r0, [%r0+24]\nexit", &in, 0, &o);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 9);
	run_asm("mov %r1, 0\ncall 4\nstdw [%r0+24], 9\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
	run_asm("mov %r1, 1\ncall 4\nstdw [%r0+25], 9\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -EFAULT);
}

static void test_budget(void **state)
{
	static struct outcome o;
	struct input in = { .budget = 1000 };

	(void)state;
	run_asm("mov %r0, 0\nadd %r0, 1\nja -2\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -E2BIG);
	assert_non_null(strstr(o.msg, "budget exhausted"));
	assert_non_null(strstr(o.msg, "insn 2"));
	/* exactly as many instructions as allowed: 4 here */
	in.budget = 4;
	run_asm("mov %r0, 1\nmov %r1, 2\nadd %r0, %r1\nexit", &in, 0, &o);
	assert_int_equal(o.ret, 0);
	in.budget = 3;
	run_asm("mov %r0, 1\nmov %r1, 2\nadd %r0, %r1\nexit", &in, 0, &o);
	assert_int_equal(o.ret, -E2BIG);
	/* every budget from 1 to 60 on a loop with calls stops at the same place */
	for (uint64_t b = 1; b <= 60; b++) {
		in.budget = b;
		run_asm("mov %r6, 5\nL:\nmov %r1, %r6\ncall local f\nsub %r6, 1\njne %r6, 0, L\n"
			"mov %r0, 7\nexit\nf:\nlddw %r0, 3\nadd %r0, %r1\nexit", &in, 0, &o);
	}
}

/* ------------------------------------------------------- the image itself */

static struct uebpf_prog *load_asm(const char *text)
{
	struct bpf_insn *insns = NULL;
	size_t cnt = 0;
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog;

	if (uebpf_asm(text, &insns, &cnt, &err))
		fail_msg("asm: %s", err.msg);
	prog = load(insns, cnt);
	free(insns);
	return prog;
}

/* The permissions of the mapping holding `addr`, from /proc/self/maps. */
static int mapping_perms(const void *addr, char perms[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			found = 1;
			break;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

static void test_wx_and_offsets(void **state)
{
	struct uebpf_prog *prog = load_asm("mov %r0, 1\nlddw %r1, 5\njeq %r1, 5, +1\nmov %r0, 2\n"
					   "exit");
	struct jit_image *image = NULL;
	struct uebpf_error err = { 0 };
	const uint32_t *off;
	const uint8_t *code;
	size_t len;
	char perms[5];

	(void)state;
	for (int checked = 0; checked < 2; checked++) {
		assert_int_equal(jit_compile(prog, checked, &image, &err), 0);
		code = jit_image_code(image, &len);
		assert_true(len > 0);
		if (mapping_perms(code, perms)) {
			print_message("no /proc/self/maps: W^X not checked\n");
		} else {
			assert_int_equal(perms[0], 'r');
			assert_int_equal(perms[1], '-');   /* never writable */
			assert_int_equal(perms[2], 'x');
		}
		off = jit_image_insn_offsets(image);
		assert_int_equal(jit_image_insn_cnt(image), 6);
		assert_true(jit_image_checked(image) == (checked != 0));
		assert_true(off[0] > 0);
		assert_true(off[1] > off[0]);
		assert_int_equal(off[2], off[3]);    /* second slot of the lddw: empty */
		for (int i = 0; i < 6; i++)
			assert_true(off[i] <= off[i + 1]);
		assert_true(off[6] <= len);
		assert_int_equal(code[off[6] - 1], 0xc3);   /* exit ends in ret */
		jit_image_free(image);
	}
	uebpf_prog_destroy(prog);
}

static void test_disasm(void **state)
{
	struct uebpf_prog *prog = load_asm("mov %r0, 1\nadd %r0, 41\nexit");
	struct jit_image *image = NULL;
	struct uebpf_error err = { 0 };
	char *text = NULL;
	int ret;

	(void)state;
	assert_int_equal(jit_compile(prog, true, &image, &err), 0);
	ret = jit_image_disasm(image, uebpf_prog_insns(prog), uebpf_prog_insn_cnt(prog), &text, &err);
	if (ret == -EOPNOTSUPP) {
		print_message("built without capstone: %s\n", err.msg);
	} else {
		assert_int_equal(ret, 0);
		assert_non_null(strstr(text, "    1: add %r0, 41"));
		assert_non_null(strstr(text, "add      rax, 0x29"));
		assert_non_null(strstr(text, "ret"));
		free(text);
	}
	assert_int_equal(jit_image_disasm(image, uebpf_prog_insns(prog), 2, &text, &err), -EINVAL);
	jit_image_free(image);
	uebpf_prog_destroy(prog);
}

static bool contains(const uint8_t *hay, size_t n, const void *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return true;
	return false;
}

static void test_blinding(void **state)
{
	struct uebpf_prog *prog = load_asm("mov32 %r0, 0x3c3c5a5a\nlddw %r1, 0x1122334455667788\n"
					   "xor %r0, %r1\nexit");
	struct jit_opts opts = { .checked = true, .blind = false };
	struct jit_image *plain = NULL, *blind = NULL;
	struct uebpf_error err = { 0 };
	const uint32_t imm32 = 0x3c3c5a5a;
	const uint64_t imm64 = 0x1122334455667788ull;
	const uint8_t *code;
	size_t len;

	(void)state;
	assert_int_equal(jit_compile_opts(prog, &opts, &plain, &err), 0);
	code = jit_image_code(plain, &len);
	assert_true(contains(code, len, &imm32, 4));
	assert_true(contains(code, len, &imm64, 8));
	opts.blind = true;
	assert_int_equal(jit_compile_opts(prog, &opts, &blind, &err), 0);
	code = jit_image_code(blind, &len);
	assert_false(contains(code, len, &imm32, 4));
	assert_false(contains(code, len, &imm64, 8));
	prog->jit_checked = blind;
	{
		struct uebpf_run_opts ro = { .sz = sizeof(ro), .engine = UEBPF_ENGINE_JIT };
		uint64_t r0 = 0;

		assert_int_equal(uebpf_prog_run(prog, &ro, &r0, &err), 0);
		assert_int_equal(r0, 0x3c3c5a5a ^ imm64);
	}
	jit_image_free(plain);
	uebpf_prog_destroy(prog);
}

/* --------------------------------------------------------------- threads */

struct thread_arg {
	struct uebpf_prog *prog;
	int failures;
};

static void *thread_main(void *p)
{
	struct thread_arg *a = p;
	uint8_t mem[8];

	for (int i = 0; i < 2000; i++) {
		struct uebpf_run_opts ro = { .sz = sizeof(ro), .mem = mem, .mem_len = sizeof(mem),
					     .engine = UEBPF_ENGINE_JIT };
		uint64_t r0 = 0;

		memset(mem, i & 0xff, sizeof(mem));
		if (uebpf_prog_run(a->prog, &ro, &r0, NULL) || r0 != (uint64_t)(i & 0xff) * 2)
			a->failures++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct uebpf_prog *prog = load_asm("ldxb %r0, [%r1+3]\nstxdw [%r10-8], %r0\n"
					   "ldxdw %r2, [%r10-8]\nadd %r0, %r2\nexit");
	struct thread_arg args[4];
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ prog, 0 };
		assert_int_equal(pthread_create(&t[i], NULL, thread_main, &args[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(args[i].failures, 0);
	}
	uebpf_prog_destroy(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu_edge_cases),
		cmocka_unit_test(test_alu_sweep),
		cmocka_unit_test(test_fixed_register_ops),
		cmocka_unit_test(test_unary_sweep),
		cmocka_unit_test(test_jump_sweep),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_atomics),
		cmocka_unit_test(test_packet_loads),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_callx),
		cmocka_unit_test(test_local_calls),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_wx_and_offsets),
		cmocka_unit_test(test_disasm),
		cmocka_unit_test(test_blinding),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
