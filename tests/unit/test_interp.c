/* SPDX-License-Identifier: MIT */
/*
 * The interpreter: every instruction class with its RFC 9669 edge cases,
 * local calls, helpers, callx, checked-mode violations, the budget, and
 * several threads running one program. Programs are hand-encoded.
 *
 * Semantic tests run each program twice, checked and unchecked (the test
 * marks the program verified for the second run), and require the same r0.
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

#include "prog/prog.h"
#include "uebpf/uebpf.h"

/* ------------------------------------------------------ instruction macros */

#define INSN(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (OFF), .imm = (IMM) })
#define ALU64_IMM(OP, D, I) INSN(BPF_ALU64 | BPF_K | (OP), D, 0, 0, I)
#define ALU64_REG(OP, D, S) INSN(BPF_ALU64 | BPF_X | (OP), D, S, 0, 0)
#define ALU32_IMM(OP, D, I) INSN(BPF_ALU | BPF_K | (OP), D, 0, 0, I)
#define ALU32_REG(OP, D, S) INSN(BPF_ALU | BPF_X | (OP), D, S, 0, 0)
#define MOV64_IMM(D, I) ALU64_IMM(BPF_MOV, D, I)
#define MOV64_REG(D, S) ALU64_REG(BPF_MOV, D, S)
#define LDDW(D, V) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, D, 0, 0, (int32_t)(uint32_t)(uint64_t)(V)), \
	INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(V) >> 32))
#define LDX(SZ, D, S, OFF) INSN(BPF_LDX | BPF_MEM | (SZ), D, S, OFF, 0)
#define LDXSX(SZ, D, S, OFF) INSN(BPF_LDX | BPF_MEMSX | (SZ), D, S, OFF, 0)
#define STX(SZ, D, S, OFF) INSN(BPF_STX | BPF_MEM | (SZ), D, S, OFF, 0)
#define ST(SZ, D, OFF, I) INSN(BPF_ST | BPF_MEM | (SZ), D, 0, OFF, I)
#define ATOMIC(SZ, D, S, OFF, OP) INSN(BPF_STX | BPF_ATOMIC | (SZ), D, S, OFF, OP)
#define JA(OFF) INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
#define GOTOL(IMM) INSN(BPF_JMP32 | BPF_JA, 0, 0, 0, IMM)
#define JMP_IMM(OP, D, I, OFF) INSN(BPF_JMP | BPF_K | (OP), D, 0, OFF, I)
#define JMP_REG(OP, D, S, OFF) INSN(BPF_JMP | BPF_X | (OP), D, S, OFF, 0)
#define CALL(ID) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, ID)
#define CALL_LOCAL(REL) INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, REL)
#define CALLX(R) INSN(BPF_JMP | BPF_CALL | BPF_X, R, 0, 0, 0)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* --------------------------------------------------------------- harness */

static struct uebpf_prog *load(const struct bpf_insn *insns, size_t n,
			       const struct uebpf_helper_set *helpers)
{
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = "t", .helpers = helpers };
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog = NULL;
	int ret = uebpf_prog_load(insns, n, &opts, &prog, &err);

	if (ret)
		fail_msg("load failed (%d): %s", ret, err.msg);
	return prog;
}

static int run_opts(struct uebpf_prog *prog, struct uebpf_run_opts *opts, uint64_t *r0,
		    struct uebpf_error *err)
{
	opts->sz = sizeof(*opts);
	opts->engine = UEBPF_ENGINE_INTERP;
	return uebpf_prog_run(prog, opts, r0, err);
}

/* Runs checked and unchecked on copies of `mem` (they may write to it) and
 * returns r0; the final memory of the checked run is left in `mem`. */
static uint64_t run_both_mem(const struct bpf_insn *insns, size_t n, void *mem, size_t len,
			     const struct uebpf_helper_set *helpers)
{
	struct uebpf_prog *prog = load(insns, n, helpers);
	unsigned char copy[256];
	struct uebpf_run_opts opts = { .mem = mem, .mem_len = len };
	struct uebpf_error err = { 0 };
	uint64_t checked = 0, unchecked = 0;
	int ret;

	assert_true(len <= sizeof(copy));
	if (len)
		memcpy(copy, mem, len);
	ret = run_opts(prog, &opts, &checked, &err);
	if (ret)
		fail_msg("checked run failed (%d): %s", ret, err.msg);

	prog->verified = true; /* only so the test may run it without checks */
	opts = (struct uebpf_run_opts){ .mem = len ? copy : NULL, .mem_len = len,
					.flags = UEBPF_RUN_UNCHECKED };
	ret = run_opts(prog, &opts, &unchecked, &err);
	if (ret)
		fail_msg("unchecked run failed (%d): %s", ret, err.msg);
	assert_int_equal(checked, unchecked);
	if (len)
		assert_memory_equal(copy, mem, len);
	uebpf_prog_destroy(prog);
	return checked;
}

static uint64_t run_both(const struct bpf_insn *insns, size_t n)
{
	return run_both_mem(insns, n, NULL, 0, NULL);
}

/* Runs checked and expects failure `code`; returns the message. */
static const char *run_fail(struct uebpf_prog *prog, struct uebpf_run_opts *opts, int code)
{
	static __thread struct uebpf_error err;
	uint64_t r0 = 0;
	int ret = run_opts(prog, opts, &r0, &err);

	if (ret != code)
		fail_msg("expected %d, got %d (r0=%llu): %s", code, ret,
			 (unsigned long long)r0, err.msg);
	return err.msg;
}

/* ------------------------------------------------------------------- ALU */

struct alu_case {
	uint8_t code;    /* class | op | K/X */
	int16_t off;     /* signed div/mod, movsx */
	uint64_t a, b;   /* dst, src (imm: low 32 bits of b) */
	uint64_t want;
};

#define A64(OP) (BPF_ALU64 | (OP))
#define A32(OP) (BPF_ALU | (OP))
#define K BPF_K
#define X BPF_X
#define I64MIN 0x8000000000000000ull
#define U64MAX 0xffffffffffffffffull

static const struct alu_case alu_cases[] = {
	{ A64(BPF_ADD) | X, 0, 1, 2, 3 },
	{ A64(BPF_ADD) | X, 0, U64MAX, 1, 0 },
	{ A64(BPF_ADD) | K, 0, 1, (uint32_t)-3, U64MAX - 1 },           /* imm sign-extends */
	{ A64(BPF_SUB) | X, 0, 0, 1, U64MAX },
	{ A64(BPF_MUL) | X, 0, I64MIN, U64MAX, I64MIN },
	{ A64(BPF_MUL) | K, 0, 3, (uint32_t)-2, (uint64_t)-6 },
	{ A64(BPF_DIV) | X, 0, 10, 3, 3 },
	{ A64(BPF_DIV) | X, 0, 10, 0, 0 },
	{ A64(BPF_DIV) | K, 0, 10, 0, 0 },
	{ A64(BPF_DIV) | K, 0, U64MAX, (uint32_t)-1, 1 },               /* divisor is 2^64-1 */
	{ A64(BPF_DIV) | K, 0, 5, (uint32_t)-1, 0 },
	{ A64(BPF_DIV) | X, 1, (uint64_t)-10, 3, (uint64_t)-3 },        /* sdiv */
	{ A64(BPF_DIV) | X, 1, I64MIN, U64MAX, I64MIN },
	{ A64(BPF_DIV) | K, 1, I64MIN, (uint32_t)-1, I64MIN },
	{ A64(BPF_DIV) | X, 1, 7, 0, 0 },
	{ A64(BPF_DIV) | K, 1, 7, 0, 0 },
	{ A64(BPF_DIV) | K, 1, (uint64_t)-9, (uint32_t)-2, 4 },
	{ A64(BPF_MOD) | X, 0, 10, 3, 1 },
	{ A64(BPF_MOD) | X, 0, 0x123456789ull, 0, 0x123456789ull },
	{ A64(BPF_MOD) | K, 0, 0x123456789ull, 0, 0x123456789ull },
	{ A64(BPF_MOD) | X, 1, (uint64_t)-10, 3, (uint64_t)-1 },        /* smod */
	{ A64(BPF_MOD) | X, 1, 10, (uint64_t)-3, 1 },
	{ A64(BPF_MOD) | X, 1, I64MIN, U64MAX, 0 },
	{ A64(BPF_MOD) | K, 1, I64MIN, (uint32_t)-1, 0 },
	{ A64(BPF_MOD) | X, 1, (uint64_t)-5, 0, (uint64_t)-5 },
	{ A64(BPF_MOD) | K, 1, (uint64_t)-5, 0, (uint64_t)-5 },
	{ A64(BPF_OR) | X, 0, 0xf0, 0x0f, 0xff },
	{ A64(BPF_AND) | K, 0, U64MAX, 0x80000000u, 0xffffffff80000000ull },
	{ A64(BPF_XOR) | X, 0, 0xff, 0x0f, 0xf0 },
	{ A64(BPF_LSH) | X, 0, 1, 65, 2 },                              /* count & 63 */
	{ A64(BPF_LSH) | K, 0, 1, 63, I64MIN },
	{ A64(BPF_RSH) | X, 0, I64MIN, 63, 1 },
	{ A64(BPF_RSH) | K, 0, I64MIN, 64 + 62, 2 },
	{ A64(BPF_ARSH) | X, 0, (uint64_t)-16, 2, (uint64_t)-4 },
	{ A64(BPF_ARSH) | K, 0, I64MIN, 63, U64MAX },
	{ A64(BPF_MOV) | K, 0, 5, (uint32_t)-1, U64MAX },
	{ A64(BPF_MOV) | X, 0, 5, 0x123456789ull, 0x123456789ull },
	{ A64(BPF_MOV) | X, 8, 0, 0x180, 0xffffffffffffff80ull },       /* movsx */
	{ A64(BPF_MOV) | X, 16, 0, 0x18000, 0xffffffffffff8000ull },
	{ A64(BPF_MOV) | X, 32, 0, 0x180000000ull, 0xffffffff80000000ull },
	{ A64(BPF_MOV) | X, 32, 0, 0x7fffffff, 0x7fffffff },
	{ A64(BPF_NEG), 0, I64MIN, 0, I64MIN },
	{ A64(BPF_NEG), 0, 1, 0, U64MAX },

	{ A32(BPF_ADD) | K, 0, 0x1ffffffffull, 1, 0 },
	{ A32(BPF_ADD) | X, 0, 0x100000005ull, 1, 6 },
	{ A32(BPF_SUB) | K, 0, 0, 1, 0xffffffffu },
	{ A32(BPF_MUL) | X, 0, 0x10000, 0x10000, 0 },
	{ A32(BPF_MUL) | K, 0, 0x80000000u, (uint32_t)-1, 0x80000000u },
	{ A32(BPF_DIV) | X, 0, 0x100000010ull, 0x100000004ull, 4 },     /* low halves only */
	{ A32(BPF_DIV) | X, 0, 0xaaaabbbb00000007ull, 0, 0 },
	{ A32(BPF_DIV) | K, 0, 7, 0, 0 },
	{ A32(BPF_DIV) | K, 0, 0xffffffffu, (uint32_t)-1, 1 },
	{ A32(BPF_DIV) | X, 1, (uint32_t)-7, 2, (uint32_t)-3 },
	{ A32(BPF_DIV) | X, 1, 0x80000000u, 0xffffffffu, 0x80000000u },
	{ A32(BPF_DIV) | K, 1, 0x80000000u, (uint32_t)-1, 0x80000000u },
	{ A32(BPF_DIV) | K, 1, 5, 0, 0 },
	{ A32(BPF_MOD) | X, 0, 0xaaaabbbb00000007ull, 0, 7 },           /* upper half zeroed */
	{ A32(BPF_MOD) | K, 0, 0xaaaabbbb00000007ull, 0, 7 },
	{ A32(BPF_MOD) | X, 0, 10, 4, 2 },
	{ A32(BPF_MOD) | X, 1, (uint32_t)-7, 2, (uint32_t)-1 },
	{ A32(BPF_MOD) | X, 1, 0x80000000u, 0xffffffffu, 0 },
	{ A32(BPF_MOD) | K, 1, 0x80000000u, (uint32_t)-1, 0 },
	{ A32(BPF_MOD) | X, 1, 0xaaaabbbbfffffff9ull, 0, 0xfffffff9u },
	{ A32(BPF_MOD) | K, 1, 0xaaaabbbbfffffff9ull, 0, 0xfffffff9u },
	{ A32(BPF_LSH) | X, 0, 1, 33, 2 },                              /* count & 31 */
	{ A32(BPF_LSH) | K, 0, 0x100000001ull, 31, 0x80000000u },
	{ A32(BPF_RSH) | K, 0, 0xffffffff00000080ull, 4 + 32, 8 },
	{ A32(BPF_ARSH) | X, 0, 0x80000000u, 4, 0xf8000000u },
	{ A32(BPF_ARSH) | K, 0, 0x1000000080000000ull, 31, 0xffffffffu },
	{ A32(BPF_OR) | K, 0, 0xff00000000ull, 1, 1 },
	{ A32(BPF_AND) | X, 0, U64MAX, 0xff, 0xff },
	{ A32(BPF_XOR) | K, 0, U64MAX, (uint32_t)-1, 0 },
	{ A32(BPF_MOV) | K, 0, 5, (uint32_t)-1, 0xffffffffu },
	{ A32(BPF_MOV) | X, 0, 5, U64MAX, 0xffffffffu },
	{ A32(BPF_MOV) | X, 8, 0, 0x80, 0xffffff80u },
	{ A32(BPF_MOV) | X, 16, 0, 0x12348000u, 0xffff8000u },
	{ A32(BPF_NEG), 0, 1, 0, 0xffffffffu },
	{ A32(BPF_NEG), 0, 0x80000000u, 0, 0x80000000u },

	{ A32(BPF_END) | BPF_TO_LE, 0, 0x1122334455667788ull, 16, 0x7788 },
	{ A32(BPF_END) | BPF_TO_LE, 0, 0x1122334455667788ull, 32, 0x55667788 },
	{ A32(BPF_END) | BPF_TO_LE, 0, 0x1122334455667788ull, 64, 0x1122334455667788ull },
	{ A32(BPF_END) | BPF_TO_BE, 0, 0x1122334455667788ull, 16, 0x8877 },
	{ A32(BPF_END) | BPF_TO_BE, 0, 0x1122334455667788ull, 32, 0x88776655 },
	{ A32(BPF_END) | BPF_TO_BE, 0, 0x1122334455667788ull, 64, 0x8877665544332211ull },
	{ A64(BPF_END), 0, 0x1122334455667788ull, 16, 0x8877 },
	{ A64(BPF_END), 0, 0x1122334455667788ull, 32, 0x88776655 },
	{ A64(BPF_END), 0, 0x1122334455667788ull, 64, 0x8877665544332211ull },
};

static void test_alu(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(alu_cases); i++) {
		const struct alu_case *c = &alu_cases[i];
		uint8_t op = c->code & 0xf0;
		bool unary = op == BPF_NEG || op == BPF_END;
		struct bpf_insn prog[] = {
			LDDW(0, c->a),
			LDDW(1, c->b),
			INSN(c->code, 0, isa_src(c->code) == BPF_X && !unary ? 1 : 0, c->off,
			     isa_src(c->code) == BPF_K || unary ? (int32_t)(uint32_t)c->b : 0),
			EXIT(),
		};
		uint64_t got;

		if (op == BPF_NEG)
			prog[4].imm = 0;
		got = run_both(prog, N(prog));
		if (got != c->want)
			fail_msg("alu case %zu (code 0x%02x off %d, a=0x%llx b=0x%llx): got 0x%llx, want 0x%llx",
				 i, c->code, c->off, (unsigned long long)c->a, (unsigned long long)c->b,
				 (unsigned long long)got, (unsigned long long)c->want);
	}
}

/* ----------------------------------------------------------------- jumps */

struct jmp_case {
	uint8_t code;
	uint64_t a, b;
	bool taken;
};

#define J64(OP) (BPF_JMP | (OP))
#define J32(OP) (BPF_JMP32 | (OP))

static const struct jmp_case jmp_cases[] = {
	{ J64(BPF_JEQ) | X, 0x100000005ull, 5, false },
	{ J32(BPF_JEQ) | X, 0x100000005ull, 5, true },
	{ J64(BPF_JEQ) | K, U64MAX, (uint32_t)-1, true },               /* imm sign-extends */
	{ J32(BPF_JEQ) | K, 0xffffffffu, (uint32_t)-1, true },
	{ J64(BPF_JNE) | K, 1, 2, true },
	{ J64(BPF_JNE) | X, 2, 2, false },
	{ J64(BPF_JGT) | X, U64MAX, 1, true },
	{ J64(BPF_JSGT) | X, U64MAX, 1, false },
	{ J32(BPF_JGT) | X, 0x1, 0x200000000ull, true },
	{ J32(BPF_JSGT) | K, 0x80000000u, 1, false },
	{ J64(BPF_JGE) | K, 5, 5, true },
	{ J64(BPF_JSGE) | K, (uint64_t)-1, (uint32_t)-1, true },
	{ J64(BPF_JLT) | K, 1, (uint32_t)-1, true },                    /* 1 < 2^64-1 */
	{ J32(BPF_JLT) | K, 1, (uint32_t)-1, true },
	{ J64(BPF_JSLT) | K, 1, (uint32_t)-1, false },
	{ J64(BPF_JSLT) | X, I64MIN, 0, true },
	{ J32(BPF_JSLT) | X, 0x80000000u, 0, true },
	{ J64(BPF_JLE) | X, 3, 3, true },
	{ J64(BPF_JLE) | X, 4, 3, false },
	{ J64(BPF_JSLE) | K, (uint64_t)-2, (uint32_t)-1, true },
	{ J32(BPF_JSLE) | X, 0x7fffffff, 0x80000000u, false },
	{ J64(BPF_JSET) | X, 0x100000000ull, 0x100000000ull, true },
	{ J32(BPF_JSET) | X, 0x100000000ull, 0x100000000ull, false },
	{ J64(BPF_JSET) | K, 6, 1, false },
	{ J32(BPF_JGE) | X, 0x500000000ull, 0x600000000ull, true },
	{ J32(BPF_JNE) | K, 0x700000001ull, 1, false },
	{ J32(BPF_JLE) | K, 0xffffffff00000002ull, 2, true },
	{ J32(BPF_JSGE) | X, 0xfffffffeu, 0xffffffffu, false },
};

static void test_jumps(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(jmp_cases); i++) {
		const struct jmp_case *c = &jmp_cases[i];
		bool reg = isa_src(c->code) == BPF_X;
		const struct bpf_insn prog[] = {
			LDDW(1, c->a),
			LDDW(2, c->b),
			MOV64_IMM(0, 0),
			INSN(c->code, 1, reg ? 2 : 0, 1, reg ? 0 : (int32_t)(uint32_t)c->b),
			EXIT(),
			MOV64_IMM(0, 1),
			EXIT(),
		};

		if (run_both(prog, N(prog)) != c->taken)
			fail_msg("jump case %zu (code 0x%02x a=0x%llx b=0x%llx): want %s", i, c->code,
				 (unsigned long long)c->a, (unsigned long long)c->b,
				 c->taken ? "taken" : "not taken");
	}
}

static void test_ja_gotol_and_loops(void **state)
{
	const struct bpf_insn ja[] = {
		MOV64_IMM(0, 1),
		JA(1),
		MOV64_IMM(0, 2),
		EXIT(),
	};
	const struct bpf_insn gotol[] = {
		MOV64_IMM(0, 1),
		GOTOL(2),
		MOV64_IMM(0, 2),
		EXIT(),
		GOTOL(-3),
	};
	/* sum 1..100 with a backward conditional jump */
	const struct bpf_insn loop[] = {
		MOV64_IMM(0, 0),
		MOV64_IMM(1, 100),
		ALU64_REG(BPF_ADD, 0, 1),
		ALU64_IMM(BPF_SUB, 1, 1),
		JMP_IMM(BPF_JNE, 1, 0, -3),
		EXIT(),
	};

	(void)state;
	assert_int_equal(run_both(ja, N(ja)), 1);
	assert_int_equal(run_both(gotol, N(gotol)), 2);
	assert_int_equal(run_both(loop, N(loop)), 5050);
}

/* --------------------------------------------------------- loads, stores */

static void test_lddw(void **state)
{
	const struct bpf_insn plain[] = { LDDW(0, 0x8877665544332211ull), EXIT() };
	const struct bpf_insn code_addr[] = {
		INSN(BPF_LD | BPF_DW | BPF_IMM, 0, BPF_PSEUDO_FUNC, 0, 2), INSN(0, 0, 0, 0, 0),
		EXIT(),
		MOV64_IMM(0, 7), /* insn 3: the sub-program */
		EXIT(),
	};

	(void)state;
	assert_int_equal(run_both(plain, N(plain)), 0x8877665544332211ull);
	assert_int_equal(run_both(code_addr, N(code_addr)), PROG_CODE_ADDR_TAG | 3);
}

static void test_load_store(void **state)
{
	unsigned char mem[32];
	const struct bpf_insn prog[] = {
		ST(BPF_B, 1, 0, 0x181),            /* stores 0x81 */
		ST(BPF_H, 1, 2, 0x8281),
		ST(BPF_W, 1, 4, (int32_t)0x84838281u),
		ST(BPF_DW, 1, 8, -2),              /* sign-extended imm */
		MOV64_IMM(2, -1),
		STX(BPF_DW, 1, 2, 16),
		LDDW(2, 0x1122334455667788ull),
		STX(BPF_B, 1, 2, 16),
		STX(BPF_H, 1, 2, 18),
		STX(BPF_W, 1, 2, 20),
		STX(BPF_DW, 1, 2, 24),
		/* r0 = ldxb + ldxsb + ... (checked below by value) */
		LDX(BPF_B, 3, 1, 0),
		LDXSX(BPF_B, 4, 1, 0),
		ALU64_REG(BPF_XOR, 3, 4),          /* 0x81 ^ sext(0x81) = 0xffffffffffffff00 */
		LDX(BPF_H, 4, 1, 2),
		LDXSX(BPF_H, 5, 1, 2),
		ALU64_REG(BPF_XOR, 4, 5),          /* 0xffffffffffff0000 */
		ALU64_REG(BPF_AND, 3, 4),
		LDX(BPF_W, 4, 1, 4),
		LDXSX(BPF_W, 5, 1, 4),
		ALU64_REG(BPF_XOR, 4, 5),          /* 0xffffffff00000000 */
		ALU64_REG(BPF_AND, 3, 4),
		LDX(BPF_DW, 0, 1, 8),              /* -2 */
		ALU64_REG(BPF_XOR, 0, 3),          /* 0x00000000fffffffe */
		EXIT(),
	};
	static const unsigned char want[32] = {
		0x81, 0, 0x81, 0x82, 0x81, 0x82, 0x83, 0x84,
		0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x88, 0xff, 0x88, 0x77, 0x88, 0x77, 0x66, 0x55,
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	};

	(void)state;
	memset(mem, 0, sizeof(mem));
	assert_int_equal(run_both_mem(prog, N(prog), mem, sizeof(mem), NULL), 0xfffffffeull);
	assert_memory_equal(mem, want, sizeof(want));
}

static void test_stack_and_mem_len(void **state)
{
	unsigned char mem[5] = { 1, 2, 3, 4, 5 };
	const struct bpf_insn stack[] = {
		MOV64_IMM(1, 42),
		STX(BPF_DW, 10, 1, -8),
		ST(BPF_W, 10, -512, 7),            /* bottom of the entry frame */
		LDX(BPF_W, 2, 10, -512),
		LDX(BPF_DW, 0, 10, -8),
		ALU64_REG(BPF_ADD, 0, 2),
		LDX(BPF_DW, 3, 10, -16),           /* never written: zero in checked runs */
		EXIT(),
	};
	const struct bpf_insn mem_len[] = { MOV64_REG(0, 2), EXIT() };
	const struct bpf_insn no_mem[] = { MOV64_REG(0, 1), ALU64_REG(BPF_OR, 0, 2), EXIT() };

	(void)state;
	assert_int_equal(run_both(stack, N(stack)), 49);
	assert_int_equal(run_both_mem(mem_len, N(mem_len), mem, sizeof(mem), NULL), 5);
	assert_int_equal(run_both(no_mem, N(no_mem)), 0);
}

/* ---------------------------------------------------------------- atomics */

struct atomic_case {
	uint8_t size;
	int32_t op;
	uint64_t mem, src, r0;
	uint64_t want_mem, want_src, want_r0;
};

static const struct atomic_case atomic_cases[] = {
	{ BPF_DW, BPF_ADD, 10, 5, 0, 15, 5, 0 },
	{ BPF_DW, BPF_ADD | BPF_FETCH, 10, 5, 0, 15, 10, 0 },
	{ BPF_DW, BPF_OR, 0xf0, 0x0f, 0, 0xff, 0x0f, 0 },
	{ BPF_DW, BPF_OR | BPF_FETCH, 0xf0, 0x0f, 0, 0xff, 0xf0, 0 },
	{ BPF_DW, BPF_AND, 0xff, 0x0f, 0, 0x0f, 0x0f, 0 },
	{ BPF_DW, BPF_AND | BPF_FETCH, 0xff, 0x0f, 0, 0x0f, 0xff, 0 },
	{ BPF_DW, BPF_XOR, 0xff, 0x0f, 0, 0xf0, 0x0f, 0 },
	{ BPF_DW, BPF_XOR | BPF_FETCH, 0xff, 0x0f, 0, 0xf0, 0xff, 0 },
	{ BPF_DW, BPF_XCHG, 0x1122334455667788ull, 9, 0, 9, 0x1122334455667788ull, 0 },
	{ BPF_DW, BPF_CMPXCHG, 10, 20, 10, 20, 20, 10 },                /* equal: stores */
	{ BPF_DW, BPF_CMPXCHG, 10, 20, 11, 10, 20, 10 },                /* differs: keeps */
	{ BPF_W, BPF_ADD, 0xffffffffu, 1, 0, 0, 1, 0 },                  /* 32-bit wrap */
	{ BPF_W, BPF_ADD | BPF_FETCH, 0xfffffffeu, 0x100000001ull, 0, 0xffffffffu, 0xfffffffeu, 0 },
	{ BPF_W, BPF_OR | BPF_FETCH, 0x80000000u, 1, 0, 0x80000001u, 0x80000000u, 0 },
	{ BPF_W, BPF_AND | BPF_FETCH, 0x80000001u, U64MAX, 0, 0x80000001u, 0x80000001u, 0 },
	{ BPF_W, BPF_XOR, 0x80000001u, 1, 0, 0x80000000u, 1, 0 },
	{ BPF_W, BPF_XCHG, 0x80000000u, 0x1234567800000005ull, 0, 5, 0x80000000u, 0 },
	{ BPF_W, BPF_CMPXCHG, 0x80000000u, 7, 0xffffffff80000000ull, 7, 7, 0x80000000u },
	{ BPF_W, BPF_CMPXCHG, 0x80000000u, 7, 1, 0x80000000u, 7, 0x80000000u },
};

static void test_atomics(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(atomic_cases); i++) {
		const struct atomic_case *c = &atomic_cases[i];
		uint64_t mem[2] = { 0, 0xdeadbeefdeadbeefull };
		const struct bpf_insn prog[] = {
			LDDW(2, c->src),
			LDDW(0, c->r0),
			ATOMIC(c->size, 1, 2, 8, c->op),
			STX(BPF_DW, 1, 2, 0),      /* src after the op */
			EXIT(),
		};
		uint64_t r0;

		mem[1] = c->size == BPF_W ? 0xdeadbeef00000000ull | (uint32_t)c->mem : c->mem;
		r0 = run_both_mem(prog, N(prog), mem, sizeof(mem), NULL);
		if (c->size == BPF_W)
			assert_int_equal(mem[1] >> 32, 0xdeadbeef); /* neighbour untouched */
		if ((c->size == BPF_W ? (uint32_t)mem[1] : mem[1]) != c->want_mem ||
		    mem[0] != c->want_src || r0 != c->want_r0)
			fail_msg("atomic case %zu: mem 0x%llx src 0x%llx r0 0x%llx", i,
				 (unsigned long long)mem[1], (unsigned long long)mem[0],
				 (unsigned long long)r0);
	}
}

/* ------------------------------------------------------ legacy packet loads */

static void test_ld_abs_ind(void **state)
{
	unsigned char pkt[8] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
	const struct bpf_insn abs[] = {
		INSN(BPF_LD | BPF_ABS | BPF_B, 0, 0, 0, 1),        /* 0x22 */
		MOV64_REG(6, 0),
		INSN(BPF_LD | BPF_ABS | BPF_H, 0, 0, 0, 2),        /* 0x3344 */
		ALU64_IMM(BPF_LSH, 6, 16),
		ALU64_REG(BPF_OR, 6, 0),
		INSN(BPF_LD | BPF_ABS | BPF_W, 0, 0, 0, 4),        /* 0x55667788 */
		ALU64_IMM(BPF_LSH, 6, 32),
		ALU64_REG(BPF_OR, 0, 6),
		EXIT(),
	};
	const struct bpf_insn ind[] = {
		MOV64_IMM(7, 3),
		INSN(BPF_LD | BPF_IND | BPF_H, 0, 7, 0, 1),        /* offset 4: 0x5566 */
		ALU64_REG(BPF_ADD, 0, 1),                          /* r1 clobbered to 0 */
		EXIT(),
	};
	const struct bpf_insn out_of_range[] = {
		MOV64_IMM(0, 99),
		INSN(BPF_LD | BPF_ABS | BPF_W, 0, 0, 0, 5),        /* bytes 5..8: one too far */
		MOV64_IMM(0, 98),
		EXIT(),
	};
	const struct bpf_insn negative[] = {
		MOV64_IMM(7, -8),
		MOV64_IMM(0, 99),
		INSN(BPF_LD | BPF_IND | BPF_B, 0, 7, 0, 4),        /* offset -4 */
		EXIT(),
	};

	(void)state;
	assert_int_equal(run_both_mem(abs, N(abs), pkt, sizeof(pkt), NULL), 0x2233445566778800ull >> 8);
	assert_int_equal(run_both_mem(ind, N(ind), pkt, sizeof(pkt), NULL), 0x5566);
	assert_int_equal(run_both_mem(out_of_range, N(out_of_range), pkt, sizeof(pkt), NULL), 0);
	assert_int_equal(run_both_mem(negative, N(negative), pkt, sizeof(pkt), NULL), 0);
}

static void test_packet_from_hook(void **state)
{
	unsigned char ctx[4] = { 0 };
	unsigned char pkt[2] = { 0xab, 0xcd };
	const struct bpf_insn prog[] = { INSN(BPF_LD | BPF_ABS | BPF_H, 0, 0, 0, 0), EXIT() };
	struct uebpf_prog *p = load(prog, N(prog), NULL);
	struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = ctx, .mem_len = sizeof(ctx) };
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	(void)state;
	assert_int_equal(prog_run_with_packet(p, &opts, pkt, sizeof(pkt), &r0, &err), 0);
	assert_int_equal(r0, 0xabcd);
	uebpf_prog_destroy(p);
}

/* ------------------------------------------------------------ local calls */

static void test_local_call(void **state)
{
	const struct bpf_insn prog[] = {
		MOV64_IMM(1, 1), MOV64_IMM(2, 2), MOV64_IMM(3, 3), MOV64_IMM(4, 4), MOV64_IMM(5, 5),
		MOV64_IMM(6, 6), MOV64_IMM(7, 7), MOV64_IMM(8, 8), MOV64_IMM(9, 9),
		ST(BPF_DW, 10, -8, 100),
		CALL_LOCAL(7),                                   /* insn 10 -> 18 */
		/* r0 = sum(r1..r5) + r6..r9 preserved + own stack slot intact */
		ALU64_REG(BPF_ADD, 0, 6), ALU64_REG(BPF_ADD, 0, 7),
		ALU64_REG(BPF_ADD, 0, 8), ALU64_REG(BPF_ADD, 0, 9),
		LDX(BPF_DW, 1, 10, -8),
		ALU64_REG(BPF_ADD, 0, 1),
		EXIT(),
		/* insn 18: callee */
		MOV64_REG(0, 1), ALU64_REG(BPF_ADD, 0, 2), ALU64_REG(BPF_ADD, 0, 3),
		ALU64_REG(BPF_ADD, 0, 4), ALU64_REG(BPF_ADD, 0, 5),
		MOV64_IMM(6, 0), MOV64_IMM(7, 0), MOV64_IMM(8, 0), MOV64_IMM(9, 0),
		ST(BPF_DW, 10, -8, 1000),                        /* its own frame */
		EXIT(),
	};

	(void)state;
	assert_int_equal(run_both(prog, N(prog)), 15 + 30 + 100);
}

/* f(n) = n == 0 ? 0 : 1 + f(n - 1), entered with n in r2 (mem_len) */
static void test_call_depth(void **state)
{
	const struct bpf_insn body[] = {
		MOV64_REG(1, 2),
		CALL_LOCAL(1),
		EXIT(),
		/* insn 3: f */
		MOV64_IMM(0, 0),
		JMP_IMM(BPF_JEQ, 1, 0, 4),
		ALU64_IMM(BPF_SUB, 1, 1),
		STX(BPF_DW, 10, 1, -512),                        /* whole frame usable */
		CALL_LOCAL(-5),
		ALU64_IMM(BPF_ADD, 0, 1),
		EXIT(),
	};
	unsigned char dummy[8];
	struct uebpf_prog *prog = load(body, N(body), NULL);
	struct uebpf_run_opts opts;
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;
	const char *msg;

	(void)state;
	/* entry frame + f(6) ... f(0) = 8 frames: the maximum */
	opts = (struct uebpf_run_opts){ .mem = dummy, .mem_len = 6 };
	assert_int_equal(run_opts(prog, &opts, &r0, &err), 0);
	assert_int_equal(r0, 6);
	prog->verified = true;
	opts = (struct uebpf_run_opts){ .mem = dummy, .mem_len = 6, .flags = UEBPF_RUN_UNCHECKED };
	assert_int_equal(run_opts(prog, &opts, &r0, &err), 0);
	assert_int_equal(r0, 6);

	opts = (struct uebpf_run_opts){ .mem = dummy, .mem_len = 7 };
	msg = run_fail(prog, &opts, -E2BIG);
	assert_non_null(strstr(msg, "insn 7 ("));
	assert_non_null(strstr(msg, "8 frames"));
	opts = (struct uebpf_run_opts){ .mem = dummy, .mem_len = 7, .flags = UEBPF_RUN_UNCHECKED };
	run_fail(prog, &opts, -E2BIG);
	uebpf_prog_destroy(prog);
}

/* ---------------------------------------------------------------- helpers */

static uint64_t helper_add(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			   struct uebpf_run_ctx *rc)
{
	(void)rc;
	return r1 + r2 + r3 + r4 + r5;
}

/* The conformance suite's helper 5: returns r1; r1 == 0 ends the program. */
static uint64_t helper_unwind(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			      struct uebpf_run_ctx *rc)
{
	(void)r2; (void)r3; (void)r4; (void)r5;
	if (r1 == 0)
		uebpf_run_ctx_exit(rc, 0);
	return r1;
}

static uint64_t helper_user(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			    struct uebpf_run_ctx *rc)
{
	(void)r1; (void)r2; (void)r3; (void)r4; (void)r5;
	return *(uint64_t *)uebpf_run_ctx_user(rc);
}

/* Hands the program 16 writable bytes it could not touch otherwise. */
static uint64_t helper_grant(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct uebpf_run_ctx *rc)
{
	uint64_t *buf = uebpf_run_ctx_user(rc);

	(void)r2; (void)r3; (void)r4; (void)r5;
	if (r1 && run_ctx_grant(rc, buf, 16, true))
		return 0;
	return (uintptr_t)buf;
}

static struct uebpf_helper_set *test_helpers(void)
{
	static const struct uebpf_helper_proto protos[] = {
		{ .id = 1, .name = "add", .fn = helper_add },
		{ .id = 5, .name = "unwind", .fn = helper_unwind },
		{ .id = 6, .name = "user", .fn = helper_user },
		{ .id = 7, .name = "grant", .fn = helper_grant },
	};
	struct uebpf_helper_set *set = NULL;
	size_t i;

	assert_int_equal(uebpf_helper_set_create(&set, NULL), 0);
	for (i = 0; i < N(protos); i++)
		assert_int_equal(uebpf_helper_set_add(set, &protos[i], NULL), 0);
	return set;
}

static void test_helper_calls(void **state)
{
	struct uebpf_helper_set *set = test_helpers();
	const struct bpf_insn add[] = {
		MOV64_IMM(1, 1), MOV64_IMM(2, 2), MOV64_IMM(3, 3), MOV64_IMM(4, 4), MOV64_IMM(5, 5),
		CALL(1),
		EXIT(),
	};
	const struct bpf_insn unwind_continue[] = {
		MOV64_IMM(1, -1), CALL(5), MOV64_IMM(0, 2), EXIT(),
	};
	const struct bpf_insn unwind_stop[] = {
		MOV64_IMM(1, 0), CALL(5), MOV64_IMM(0, 2), EXIT(),
	};
	/* an exit request from inside a local call ends the whole program */
	const struct bpf_insn unwind_nested[] = {
		CALL_LOCAL(2), MOV64_IMM(0, 3), EXIT(),
		MOV64_IMM(1, 0), CALL(5), MOV64_IMM(0, 2), EXIT(),
	};
	struct uebpf_prog *prog;
	struct uebpf_run_opts opts = { 0 };
	uint64_t user = 0x1234, r0 = 0;

	(void)state;
	assert_int_equal(run_both_mem(add, N(add), NULL, 0, set), 15);
	assert_int_equal(run_both_mem(unwind_continue, N(unwind_continue), NULL, 0, set), 2);
	assert_int_equal(run_both_mem(unwind_stop, N(unwind_stop), NULL, 0, set), 0);
	assert_int_equal(run_both_mem(unwind_nested, N(unwind_nested), NULL, 0, set), 0);

	{
		const struct bpf_insn p[] = { CALL(6), EXIT() };

		prog = load(p, N(p), set);
		opts.user = &user;
		assert_int_equal(run_opts(prog, &opts, &r0, NULL), 0);
		assert_int_equal(r0, 0x1234);
		uebpf_prog_destroy(prog);
	}
	uebpf_helper_set_destroy(set);
}

static void test_callx(void **state)
{
	struct uebpf_helper_set *set = test_helpers();
	const struct bpf_insn helper[] = {
		MOV64_IMM(1, 40), MOV64_IMM(2, 2), MOV64_IMM(3, 0), MOV64_IMM(4, 0), MOV64_IMM(5, 0),
		MOV64_IMM(8, 1),
		CALLX(8),
		EXIT(),
	};
	const struct bpf_insn conformance[] = { /* the callx vector */
		MOV64_IMM(1, -1), MOV64_IMM(2, 5), CALLX(2), MOV64_IMM(0, 2), EXIT(),
	};
	const struct bpf_insn code_addr[] = {
		INSN(BPF_LD | BPF_DW | BPF_IMM, 3, BPF_PSEUDO_FUNC, 0, 4), INSN(0, 0, 0, 0, 0),
		MOV64_IMM(1, 20),
		CALLX(3),
		EXIT(),
		/* insn 5 */
		ALU64_IMM(BPF_MUL, 1, 2),
		MOV64_REG(0, 1),
		EXIT(),
	};
	const struct bpf_insn unknown[] = {
		MOV64_IMM(0, 1), MOV64_IMM(4, 99), CALLX(4), EXIT(),
	};
	/* a code address of an instruction that is no sub-program entry */
	const struct bpf_insn not_entry[] = {
		LDDW(4, PROG_CODE_ADDR_TAG | 3), CALLX(4), EXIT(),
	};
	struct uebpf_prog *prog;
	struct uebpf_run_opts opts = { 0 };
	const char *msg;

	(void)state;
	assert_int_equal(run_both_mem(helper, N(helper), NULL, 0, set), 42);
	assert_int_equal(run_both_mem(conformance, N(conformance), NULL, 0, set), 2);
	assert_int_equal(run_both_mem(code_addr, N(code_addr), NULL, 0, set), 40);

	prog = load(unknown, N(unknown), set);
	msg = run_fail(prog, &opts, -EFAULT);
	assert_non_null(strstr(msg, "insn 2"));
	assert_non_null(strstr(msg, "0x63"));
	uebpf_prog_destroy(prog);

	prog = load(unknown, N(unknown), NULL);       /* no helper set at all */
	run_fail(prog, &opts, -EFAULT);
	uebpf_prog_destroy(prog);

	prog = load(not_entry, N(not_entry), set);
	msg = run_fail(prog, &opts, -EFAULT);
	assert_non_null(strstr(msg, "insn 2"));
	uebpf_prog_destroy(prog);
	uebpf_helper_set_destroy(set);
}

/* ---------------------------------------------------- checked violations */

static void expect_fault(const struct bpf_insn *insns, size_t n, struct uebpf_run_opts *opts,
			 size_t insn, const char *needle)
{
	struct uebpf_prog *prog = load(insns, n, NULL);
	char where[32];
	const char *msg = run_fail(prog, opts, -EFAULT);

	snprintf(where, sizeof(where), "insn %zu (", insn);
	if (!strstr(msg, where) || (needle && !strstr(msg, needle)))
		fail_msg("message lacks '%s' / '%s': %s", where, needle ? needle : "", msg);
	uebpf_prog_destroy(prog);
}

static void test_checked_stack(void **state)
{
	const struct bpf_insn above[] = { MOV64_IMM(0, 0), STX(BPF_DW, 10, 0, 0), EXIT() };
	const struct bpf_insn straddle[] = { MOV64_IMM(0, 0), LDX(BPF_DW, 0, 10, -4), EXIT() };
	const struct bpf_insn below[] = { ST(BPF_B, 10, -4097, 0), EXIT() };
	const struct bpf_insn lowest_ok[] = { ST(BPF_B, 10, -4096, 1), LDX(BPF_B, 0, 10, -4096), EXIT() };
	struct uebpf_run_opts opts = { 0 };

	(void)state;
	expect_fault(above, N(above), &opts, 1, "write of 8 bytes");
	expect_fault(straddle, N(straddle), &opts, 1, "read of 8 bytes");
	expect_fault(below, N(below), &opts, 0, "stack [");
	assert_int_equal(run_both(lowest_ok, N(lowest_ok)), 1);
}

static void test_checked_mem(void **state)
{
	unsigned char mem[8] = { 0 };
	const struct bpf_insn write[] = { ST(BPF_W, 1, 0, 1), MOV64_IMM(0, 0), EXIT() };
	const struct bpf_insn read[] = { LDX(BPF_W, 0, 1, 4), EXIT() };
	const struct bpf_insn past_end[] = { LDX(BPF_DW, 0, 1, 4), EXIT() };
	const struct bpf_insn null[] = { LDX(BPF_B, 0, 1, 0), EXIT() };
	const struct bpf_insn atomic[] = { MOV64_IMM(2, 1), ATOMIC(BPF_W, 1, 2, 0, BPF_ADD), EXIT() };
	const struct bpf_insn misaligned[] = {
		MOV64_IMM(2, 1), ATOMIC(BPF_W, 1, 2, 2, BPF_ADD), EXIT(),
	};
	struct uebpf_run_opts opts = { .mem = mem, .mem_len = sizeof(mem), .mem_readonly = true };
	struct uebpf_prog *prog;
	struct uebpf_error err = { 0 };
	uint64_t r0 = 1;

	(void)state;
	expect_fault(write, N(write), &opts, 0, "read-only");
	expect_fault(atomic, N(atomic), &opts, 1, "read-only");
	prog = load(read, N(read), NULL);
	assert_int_equal(run_opts(prog, &opts, &r0, &err), 0);
	assert_int_equal(r0, 0);
	uebpf_prog_destroy(prog);

	opts.mem_readonly = false;
	expect_fault(past_end, N(past_end), &opts, 0, "input memory [");
	expect_fault(misaligned, N(misaligned), &opts, 1, "misaligned");
	prog = load(write, N(write), NULL);
	assert_int_equal(run_opts(prog, &opts, &r0, &err), 0);
	assert_int_equal(mem[0], 1);
	uebpf_prog_destroy(prog);

	opts = (struct uebpf_run_opts){ 0 };
	expect_fault(null, N(null), &opts, 0, "no input memory");
}

static void test_checked_regions(void **state)
{
	uint64_t ro[2] = { 11, 0 }, rw[2] = { 0, 0 }, stat[1] = { 5 };
	const struct uebpf_region regions[] = {
		{ .addr = ro, .len = sizeof(ro), .writable = false },
		{ .addr = rw, .len = sizeof(rw), .writable = true },
	};
	const struct bpf_insn read_ro_write_rw[] = {
		LDDW(1, (uintptr_t)ro),
		LDDW(2, (uintptr_t)rw),
		LDX(BPF_DW, 0, 1, 0),
		STX(BPF_DW, 2, 0, 8),
		EXIT(),
	};
	const struct bpf_insn write_ro[] = {
		LDDW(1, (uintptr_t)ro), ST(BPF_DW, 1, 8, 1), MOV64_IMM(0, 0), EXIT(),
	};
	const struct bpf_insn static_region[] = {
		LDDW(1, (uintptr_t)stat), LDX(BPF_DW, 0, 1, 0), ALU64_IMM(BPF_ADD, 0, 1),
		STX(BPF_DW, 1, 0, 0), EXIT(),
	};
	struct uebpf_run_opts opts = { .regions = regions, .nr_regions = N(regions) };
	struct uebpf_prog *prog;
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	(void)state;
	prog = load(read_ro_write_rw, N(read_ro_write_rw), NULL);
	assert_int_equal(run_opts(prog, &opts, &r0, &err), 0);
	assert_int_equal(rw[1], 11);
	uebpf_prog_destroy(prog);

	expect_fault(write_ro, N(write_ro), &opts, 2, "hits read-only memory");
	opts.nr_regions = 0;
	opts.regions = NULL;
	expect_fault(read_ro_write_rw, N(read_ro_write_rw), &opts, 4, "outside");

	/* static regions belong to the program (e.g. map values) */
	prog = load(static_region, N(static_region), NULL);
	run_fail(prog, &opts, -EFAULT);
	prog->static_regions = calloc(1, sizeof(*prog->static_regions));
	prog->static_regions[0] = (struct uebpf_region){ .addr = stat, .len = sizeof(stat),
							 .writable = true };
	prog->nr_static_regions = 1;
	assert_int_equal(run_opts(prog, &opts, &r0, &err), 0);
	assert_int_equal(stat[0], 6);
	uebpf_prog_destroy(prog);
}

static void test_checked_grants(void **state)
{
	struct uebpf_helper_set *set = test_helpers();
	uint64_t buf[2] = { 0, 0 };
	const struct bpf_insn granted[] = {
		MOV64_IMM(1, 1), CALL(7), ST(BPF_DW, 0, 8, 77), MOV64_IMM(0, 0), EXIT(),
	};
	const struct bpf_insn not_granted[] = {
		MOV64_IMM(1, 0), CALL(7), ST(BPF_DW, 0, 8, 77), MOV64_IMM(0, 0), EXIT(),
	};
	struct uebpf_run_opts opts = { .user = buf };
	struct uebpf_prog *prog;
	uint64_t r0 = 1;
	const char *msg;

	(void)state;
	prog = load(granted, N(granted), set);
	assert_int_equal(run_opts(prog, &opts, &r0, NULL), 0);
	assert_int_equal(buf[1], 77);
	uebpf_prog_destroy(prog);

	prog = load(not_granted, N(not_granted), set);
	msg = run_fail(prog, &opts, -EFAULT);
	assert_non_null(strstr(msg, "insn 2 ("));
	uebpf_prog_destroy(prog);
	uebpf_helper_set_destroy(set);
}

/* ----------------------------------------------------------------- budget */

static void test_budget(void **state)
{
	const struct bpf_insn endless[] = { MOV64_IMM(0, 0), JA(-1), EXIT() };
	/* 1 + 10 * 2 + 1 = 22 instructions */
	const struct bpf_insn loop[] = {
		MOV64_IMM(1, 10),
		ALU64_IMM(BPF_SUB, 1, 1),
		JMP_IMM(BPF_JNE, 1, 0, -2),
		EXIT(),
	};
	/* a lddw counts as one instruction: 2 in all */
	const struct bpf_insn lddw[] = { LDDW(0, 1), EXIT() };
	/* calls and returns: call, mov, exit, exit = 4 */
	const struct bpf_insn call[] = { CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 3), EXIT() };
	struct uebpf_run_opts opts = { .insn_budget = 1000 };
	struct uebpf_prog *prog;
	uint64_t r0 = 0;
	const char *msg;

	(void)state;
	prog = load(endless, N(endless), NULL);
	msg = run_fail(prog, &opts, -E2BIG);
	assert_non_null(strstr(msg, "insn 1 ("));
	assert_non_null(strstr(msg, "budget"));
	uebpf_prog_destroy(prog);

	prog = load(loop, N(loop), NULL);
	opts.insn_budget = 22;
	assert_int_equal(run_opts(prog, &opts, &r0, NULL), 0);
	opts.insn_budget = 21;
	run_fail(prog, &opts, -E2BIG);
	uebpf_prog_destroy(prog);

	prog = load(lddw, N(lddw), NULL);
	opts.insn_budget = 2;
	assert_int_equal(run_opts(prog, &opts, &r0, NULL), 0);
	opts.insn_budget = 1;
	run_fail(prog, &opts, -E2BIG);
	uebpf_prog_destroy(prog);

	prog = load(call, N(call), NULL);
	opts.insn_budget = 4;
	assert_int_equal(run_opts(prog, &opts, &r0, NULL), 0);
	assert_int_equal(r0, 3);
	opts.insn_budget = 3;
	run_fail(prog, &opts, -E2BIG);
	uebpf_prog_destroy(prog);
}

/* ---------------------------------------------------------------- threads */

struct thread_arg {
	struct uebpf_prog *prog;
	uint64_t *counter;
	int failures;
};

static void *thread_main(void *p)
{
	struct thread_arg *arg = p;
	unsigned char mem[8];
	int i;

	for (i = 0; i < 2000; i++) {
		struct uebpf_run_opts opts = { .sz = sizeof(opts), .engine = UEBPF_ENGINE_INTERP,
					       .mem = mem, .mem_len = sizeof(mem) };
		struct uebpf_region shared = { .addr = arg->counter, .len = 8, .writable = true };
		uint64_t r0 = 0;

		memcpy(mem, &i, sizeof(i));
		memset(mem + 4, 0, 4);
		opts.regions = &shared;
		opts.nr_regions = 1;
		if (uebpf_prog_run(arg->prog, &opts, &r0, NULL) || r0 != (uint64_t)i * 2 + 1)
			arg->failures++;
	}
	return NULL;
}

static void test_threads(void **state)
{
	static uint64_t counter;
	/* r0 = 2 * mem[0] + 1 through the stack; counter += 1 atomically */
	const struct bpf_insn prog_insns[] = {
		LDX(BPF_W, 2, 1, 0),
		STX(BPF_DW, 10, 2, -8),
		LDX(BPF_DW, 0, 10, -8),
		ALU64_IMM(BPF_LSH, 0, 1),
		ALU64_IMM(BPF_ADD, 0, 1),
		LDDW(3, (uintptr_t)&counter),
		MOV64_IMM(4, 1),
		ATOMIC(BPF_DW, 3, 4, 0, BPF_ADD),
		EXIT(),
	};
	struct thread_arg args[4];
	pthread_t threads[4];
	struct uebpf_prog *prog = load(prog_insns, N(prog_insns), NULL);
	int i;

	(void)state;
	counter = 0;
	for (i = 0; i < 4; i++) {
		args[i] = (struct thread_arg){ .prog = prog, .counter = &counter };
		assert_int_equal(pthread_create(&threads[i], NULL, thread_main, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		assert_int_equal(args[i].failures, 0);
	}
	assert_int_equal(counter, 4 * 2000);
	uebpf_prog_destroy(prog);
}

/* ------------------------------------------------------- run-time refusals */

static void test_unchecked_refused(void **state)
{
	const struct bpf_insn insns[] = { MOV64_IMM(0, 1), EXIT() };
	struct uebpf_prog *prog = load(insns, N(insns), NULL);
	struct uebpf_run_opts opts = { .flags = UEBPF_RUN_UNCHECKED };
	uint64_t r0 = 0;
	const char *msg;

	(void)state;
	msg = run_fail(prog, &opts, -EPERM);
	assert_non_null(strstr(msg, "not verified"));
	prog->verified = true;
	assert_int_equal(run_opts(prog, &opts, &r0, NULL), 0);
	assert_int_equal(r0, 1);

	/* the default engine on a verified program: the JIT, or the interpreter
	 * when the JIT cannot compile it; either way the same result */
	r0 = 0;
	opts = (struct uebpf_run_opts){ .sz = sizeof(opts), .flags = UEBPF_RUN_UNCHECKED };
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, NULL), 0);
	assert_int_equal(r0, 1);
	uebpf_prog_destroy(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alu),
		cmocka_unit_test(test_jumps),
		cmocka_unit_test(test_ja_gotol_and_loops),
		cmocka_unit_test(test_lddw),
		cmocka_unit_test(test_load_store),
		cmocka_unit_test(test_stack_and_mem_len),
		cmocka_unit_test(test_atomics),
		cmocka_unit_test(test_ld_abs_ind),
		cmocka_unit_test(test_packet_from_hook),
		cmocka_unit_test(test_local_call),
		cmocka_unit_test(test_call_depth),
		cmocka_unit_test(test_helper_calls),
		cmocka_unit_test(test_callx),
		cmocka_unit_test(test_checked_stack),
		cmocka_unit_test(test_checked_mem),
		cmocka_unit_test(test_checked_regions),
		cmocka_unit_test(test_checked_grants),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_unchecked_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
