/* SPDX-License-Identifier: MIT */
/* Shared by tests/unit/test_helpers_*.c: instruction macros, a helper set
 * with every Linux helper uebpf implements, loading with maps, running
 * checked (and unchecked, by marking the program verified). */
#ifndef TEST_HELPERS_UTIL_H
#define TEST_HELPERS_UTIL_H

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/bpf.h>

#include "helpers/helpers_internal.h"
#include "helpers/protos.h"
#include "prog/prog.h"
#include "uebpf/helpers.h"
#include "uebpf/map.h"
#include "uebpf/uebpf.h"
#include "uebpf/verifier.h"

#define INSN(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (OFF), .imm = (IMM) })
#define MOV64_IMM(D, I) INSN(BPF_ALU64 | BPF_K | BPF_MOV, D, 0, 0, I)
#define MOV64_REG(D, S) INSN(BPF_ALU64 | BPF_X | BPF_MOV, D, S, 0, 0)
#define ADD64_IMM(D, I) INSN(BPF_ALU64 | BPF_K | BPF_ADD, D, 0, 0, I)
#define ADD64_REG(D, S) INSN(BPF_ALU64 | BPF_X | BPF_ADD, D, S, 0, 0)
#define LDDW(D, V) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, D, 0, 0, (int32_t)(uint32_t)(uint64_t)(V)), \
	INSN(0, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(V) >> 32))
/* lddw rD, maps[IDX] (BPF_PSEUDO_MAP_IDX) */
#define LD_MAP(D, IDX) INSN(BPF_LD | BPF_DW | BPF_IMM, D, 5, 0, IDX), INSN(0, 0, 0, 0, 0)
/* lddw rD, <code at this insn + 1 + REL> (BPF_PSEUDO_FUNC) */
#define LD_FUNC(D, REL) INSN(BPF_LD | BPF_DW | BPF_IMM, D, BPF_PSEUDO_FUNC, 0, REL), \
	INSN(0, 0, 0, 0, 0)
#define LDX(SZ, D, S, OFF) INSN(BPF_LDX | BPF_MEM | (SZ), D, S, OFF, 0)
#define STX(SZ, D, S, OFF) INSN(BPF_STX | BPF_MEM | (SZ), D, S, OFF, 0)
#define ST(SZ, D, OFF, I) INSN(BPF_ST | BPF_MEM | (SZ), D, 0, OFF, I)
#define MUL64_IMM(D, I) INSN(BPF_ALU64 | BPF_K | BPF_MUL, D, 0, 0, I)
#define CALL_LOCAL(REL) INSN(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, REL)
#define JA(OFF) INSN(BPF_JMP | BPF_JA, 0, 0, OFF, 0)
#define JMP_IMM(OP, D, I, OFF) INSN(BPF_JMP | BPF_K | (OP), D, 0, OFF, I)
#define CALL(ID) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, ID)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The Linux set for raw programs plus every implemented helper the raw
 * descriptor does not list, so each helper can be tested. */
static inline struct uebpf_helper_set *all_helpers(uint32_t prog_type)
{
	struct uebpf_helper_set *set = NULL;
	struct uebpf_error err = { 0 };
	uint32_t id;

	if (uebpf_helper_set_create_linux(prog_type, &set, &err))
		fail_msg("uebpf_helper_set_create_linux: %s", err.msg);
	for (id = 1; id < 512; id++) {
		const struct helper_linux_proto *lp = helper_linux_proto(id);
		struct uebpf_helper_proto p;

		if (!lp || uebpf_helper_set_find(set, id) || !helper_linux_fn(id, prog_type))
			continue;
		p = lp->proto;
		p.fn = helper_linux_fn(id, prog_type);
		if (uebpf_helper_set_add(set, &p, &err))
			fail_msg("uebpf_helper_set_add: %s", err.msg);
	}
	return set;
}

static inline struct uebpf_prog *load_prog(const struct bpf_insn *insns, size_t n,
					   const struct uebpf_helper_set *set,
					   struct uebpf_map *const *maps, size_t nr_maps)
{
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = "t", .helpers = set,
					.maps = maps, .nr_maps = nr_maps };
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog = NULL;

	if (uebpf_prog_load(insns, n, &opts, &prog, &err))
		fail_msg("load failed: %s", err.msg);
	return prog;
}

static inline struct uebpf_map *make_map(const char *name, uint32_t type, uint32_t key_size,
					 uint32_t value_size, uint32_t max_entries)
{
	struct uebpf_map_spec spec = { .sz = sizeof(spec), .name = name, .type = type,
				       .key_size = key_size, .value_size = value_size,
				       .max_entries = max_entries };
	struct uebpf_error err = { 0 };
	struct uebpf_map *map = NULL;

	if (uebpf_map_create(&spec, &map, &err))
		fail_msg("map create %s: %s", name, err.msg);
	return map;
}

/* Runs with the interpreter; `checked` false marks the program verified
 * first (the test vouches for it). Returns the run's error code. */
static inline int run_prog(struct uebpf_prog *prog, bool checked, void *mem, size_t len,
			   struct uebpf_env *env, uint64_t *r0, struct uebpf_error *err)
{
	struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = mem, .mem_len = len,
				       .engine = UEBPF_ENGINE_INTERP, .env = env };

	if (!checked) {
		prog->verified = true;
		opts.flags = UEBPF_RUN_UNCHECKED;
	}
	return uebpf_prog_run(prog, &opts, r0, err);
}

/* Runs checked and unchecked; both must succeed with the same r0. */
static inline uint64_t run_ok(struct uebpf_prog *prog, void *mem, size_t len,
			      struct uebpf_env *env)
{
	struct uebpf_error err = { 0 };
	uint64_t a = 0, b = 0;

	if (run_prog(prog, true, mem, len, env, &a, &err))
		fail_msg("checked run failed: %s", err.msg);
	if (run_prog(prog, false, mem, len, env, &b, &err))
		fail_msg("unchecked run failed: %s", err.msg);
	prog->verified = false;
	assert_int_equal(a, b);
	return a;
}

static inline uint64_t run_checked(struct uebpf_prog *prog, void *mem, size_t len,
				   struct uebpf_env *env)
{
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	if (run_prog(prog, true, mem, len, env, &r0, &err))
		fail_msg("checked run failed: %s", err.msg);
	return r0;
}

/* A tail-call chain link: counts its runs in the u64 at key 0 of maps[1]
 * (an array), then tail-calls maps[0][index] (a prog array) and returns what
 * bpf_tail_call returned (reached only when it fails). */
static inline struct uebpf_prog *counting_prog(const struct uebpf_helper_set *set,
					       struct uebpf_map **maps, int32_t index)
{
	const struct bpf_insn insns[] = {
		MOV64_REG(6, 1),
		ST(BPF_W, 10, -8, 0),
		LD_MAP(1, 1),
		MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 3),
		LDX(BPF_DW, 1, 0, 0), ADD64_IMM(1, 1), STX(BPF_DW, 0, 1, 0),
		MOV64_REG(1, 6),
		LD_MAP(2, 0),
		MOV64_IMM(3, index),
		CALL(BPF_FUNC_tail_call),
		EXIT(),
	};

	return load_prog(insns, N(insns), set, maps, 2);
}

static inline uint64_t counter_value(struct uebpf_map *counter)
{
	uint32_t key = 0;
	uint64_t v = 0;

	assert_int_equal(uebpf_map_lookup(counter, &key, &v, NULL), 0);
	return v;
}

static inline void reset_counter(struct uebpf_map *counter)
{
	uint32_t key = 0;
	uint64_t v = 0;

	assert_int_equal(uebpf_map_update(counter, &key, &v, BPF_ANY, NULL), 0);
}

/* bpf_for_each_map_elem(*map, cb, &sum, flags): the callback adds each u64
 * value to a sum on the caller's stack and stops at key `stop`. The program
 * returns calls * 1000 + sum. It borrows `map` (the array of its maps). */
static inline struct uebpf_prog *for_each_sum_prog(const struct uebpf_helper_set *set,
						   struct uebpf_map **map, int32_t stop,
						   int32_t flags)
{
	const struct bpf_insn insns[] = {
		/* 0 */ ST(BPF_DW, 10, -8, 0),
		/* 1 */ LD_MAP(1, 0),
		/* 3 */ LD_FUNC(2, 13 - 4),
		/* 5 */ MOV64_REG(3, 10), ADD64_IMM(3, -8),
		/* 7 */ MOV64_IMM(4, flags),
		/* 8 */ CALL(BPF_FUNC_for_each_map_elem),
		/* 9 */ MUL64_IMM(0, 1000),
		/* 10 */ LDX(BPF_DW, 1, 10, -8),
		/* 11 */ ADD64_REG(0, 1),
		/* 12 */ EXIT(),
		/* 13: callback(map, key, value, ctx) */
		LDX(BPF_DW, 5, 3, 0),
		LDX(BPF_DW, 0, 4, 0),
		ADD64_REG(0, 5),
		STX(BPF_DW, 4, 0, 0),
		LDX(BPF_W, 5, 2, 0),
		MOV64_IMM(0, 0),
		JMP_IMM(BPF_JNE, 5, stop, 1),
		MOV64_IMM(0, 1),
		EXIT(),
	};

	return load_prog(insns, N(insns), set, map, 1);
}

/* A tail call from *a to prog_array[2] = *b with the context: a writes its
 * stack first (b must not see it), b returns ctx[0] + its never-written
 * stack slot; a returns 1 if the tail call fails. *a borrows `array`. */
static inline void tail_ctx_progs(const struct uebpf_helper_set *set, struct uebpf_map **array,
				  struct uebpf_prog **a, struct uebpf_prog **b)
{
	const struct bpf_insn a_insns[] = {
		ST(BPF_DW, 10, -8, 99), /* stack is not carried over */
		LD_MAP(2, 0), MOV64_IMM(3, 2), CALL(BPF_FUNC_tail_call),
		MOV64_IMM(0, 1), EXIT(),
	};
	const struct bpf_insn b_insns[] = {
		LDX(BPF_B, 0, 1, 0), LDX(BPF_DW, 2, 10, -8), ADD64_REG(0, 2), EXIT(),
	};

	*a = load_prog(a_insns, N(a_insns), set, array, 1);
	*b = load_prog(b_insns, N(b_insns), set, NULL, 0);
}

#endif
