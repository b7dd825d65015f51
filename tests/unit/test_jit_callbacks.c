/* SPDX-License-Identifier: MIT */
/* Helpers that run program code, with the caller in the JIT: bpf_loop and
 * bpf_for_each_map_elem callbacks run in machine code (jit_call), on a
 * frame below the calling one (rc->cur_fp) and charged to the same budget
 * (rc->budget_left) as in the interpreter; bpf_tail_call chains continue in
 * the JIT. Every case is also run in the interpreter: results, errors and
 * messages must be the same. */
#include "test_helpers_util.h"

#include "jit/jit.h"


#define HELPER_WHERE 0x7000   /* a host helper: records its return address */

static struct uebpf_helper_set *set;

struct outcome {
	int ret;
	uint64_t r0;
	struct uebpf_error err;
};

static struct outcome run_engine(struct uebpf_prog *prog, enum uebpf_engine engine, bool checked,
				 uint64_t budget, void *mem, size_t len)
{
	struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = mem, .mem_len = len,
				       .engine = engine, .insn_budget = budget };
	struct outcome o = { 0 };

	if (!checked) {
		prog->verified = true;
		opts.flags = UEBPF_RUN_UNCHECKED;
	}
	o.ret = uebpf_prog_run(prog, &opts, &o.r0, &o.err);
	prog->verified = false;
	return o;
}

/* Runs in the JIT and in the interpreter; both must agree on everything.
 * Returns the JIT's outcome. */
static struct outcome run_both(struct uebpf_prog *prog, bool checked, uint64_t budget)
{
	struct outcome jit = run_engine(prog, UEBPF_ENGINE_JIT, checked, budget, NULL, 0);
	struct outcome interp = run_engine(prog, UEBPF_ENGINE_INTERP, checked, budget, NULL, 0);

	if (jit.ret != interp.ret || (!jit.ret && jit.r0 != interp.r0) ||
	    strcmp(jit.err.msg, interp.err.msg))
		fail_msg("%s, budget %llu: JIT %d r0=%llu '%s' / interpreter %d r0=%llu '%s'",
			 checked ? "checked" : "unchecked", (unsigned long long)budget, jit.ret,
			 (unsigned long long)jit.r0, jit.err.msg, interp.ret,
			 (unsigned long long)interp.r0, interp.err.msg);
	return jit;
}

/* bpf_loop(n, cb, &sum, flags), cb adds i to sum and stops once i >= stop.
 * Returns loops * 1000 + sum. */
static struct uebpf_prog *loop_prog(int32_t n, int32_t stop, int32_t flags)
{
	const struct bpf_insn insns[] = {
		/* 0 */ ST(BPF_DW, 10, -8, 0),
		/* 1 */ MOV64_IMM(1, n),
		/* 2 */ LD_FUNC(2, 12 - 3),
		/* 4 */ MOV64_REG(3, 10), ADD64_IMM(3, -8),
		/* 6 */ MOV64_IMM(4, flags),
		/* 7 */ CALL(BPF_FUNC_loop),
		/* 8 */ MUL64_IMM(0, 1000),
		/* 9 */ LDX(BPF_DW, 1, 10, -8),
		/* 10 */ ADD64_REG(0, 1),
		/* 11 */ EXIT(),
		/* 12: callback(i, ctx) */
		LDX(BPF_DW, 3, 2, 0), ADD64_REG(3, 1), STX(BPF_DW, 2, 3, 0),
		MOV64_IMM(0, 0), JMP_IMM(BPF_JLT, 1, stop, 1), MOV64_IMM(0, 1), EXIT(),
	};

	return load_prog(insns, N(insns), set, NULL, 0);
}

static uint64_t loop_result(int32_t n, int32_t stop, int32_t flags, bool checked)
{
	struct uebpf_prog *prog = loop_prog(n, stop, flags);
	struct outcome o = run_both(prog, checked, 0);

	if (o.ret)
		fail_msg("loop run failed: %s", o.err.msg);
	uebpf_prog_destroy(prog);
	return o.r0;
}

static void test_loop(void **state)
{
	(void)state;
	for (int checked = 0; checked < 2; checked++) {
		assert_int_equal(loop_result(100, 9, 0, checked), 10 * 1000 + 45);
		assert_int_equal(loop_result(5, 99, 0, checked), 5 * 1000 + 10);
		assert_int_equal(loop_result(0, 99, 0, checked), 0);
		assert_int_equal((int64_t)loop_result(5, 99, 1, checked), -EINVAL * 1000ll);
		assert_int_equal((int64_t)loop_result((1 << 23) + 1, 99, 0, checked),
				 -E2BIG * 1000ll);
	}
}

/* The callbacks' instructions are charged to the caller's budget, exactly:
 * every budget around the boundary gives the interpreter's result. */
static void test_loop_budget(void **state)
{
	struct uebpf_prog *prog = loop_prog(100, 5000, 0);
	struct outcome o;

	(void)state;
	o = run_both(prog, true, 500);
	assert_int_equal(o.ret, -E2BIG);
	assert_non_null(strstr(o.err.msg, "budget"));
	o = run_both(prog, true, 100 * 6 + 11);
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 100 * 1000 + 4950);
	o = run_both(prog, true, 100 * 6 + 10);
	assert_int_equal(o.ret, -E2BIG);
	/* every budget from nothing to enough: same outcome and message */
	for (uint64_t budget = 1; budget <= 100 * 6 + 12; budget++)
		run_both(prog, true, budget);
	uebpf_prog_destroy(prog);
}

/* bpf_loop from inside a local call: the callback's frame goes below the
 * caller's (rc->cur_fp) and frames are shared with local calls. The
 * callback recurses with local calls until the frames run out. */
static void test_loop_frames(void **state)
{
	const struct bpf_insn insns[] = {
		/* 0 */ CALL_LOCAL(1),           /* main: call sub at 2 */
		/* 1 */ EXIT(),
		/* 2: sub */ MOV64_IMM(1, 1),
		/* 3 */ LD_FUNC(2, 10 - 4),
		/* 5 */ MOV64_IMM(3, 0),
		/* 6 */ MOV64_IMM(4, 0),
		/* 7 */ CALL(BPF_FUNC_loop),
		/* 8 */ ST(BPF_DW, 10, -8, 1),    /* the sub's frame still works */
		/* 9 */ EXIT(),
		/* 10: callback(i, ctx) */
		ST(BPF_DW, 10, -512, 7),         /* lowest byte of its frame */
		MOV64_IMM(0, 0),
		CALL_LOCAL(1),
		EXIT(),
		/* 14: rec */ CALL_LOCAL(-1),    /* recurse into itself */
		EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);

	(void)state;
	/* frames: main 0, sub 1, callback 2, rec 3..7, then the 9th fails */
	for (int checked = 0; checked < 2; checked++) {
		struct outcome o = run_both(prog, checked, 0);

		assert_int_equal(o.ret, -E2BIG);
		assert_non_null(strstr(o.err.msg, "frames"));
	}
	uebpf_prog_destroy(prog);
}

/* The callback writes the lowest and highest byte of its frame, which must
 * be the one right below the caller's: the caller's frame keeps its value. */
static void test_loop_frame_placement(void **state)
{
	const struct bpf_insn insns[] = {
		/* 0 */ ST(BPF_DW, 10, -8, 11),
		/* 1 */ CALL_LOCAL(3),           /* sub at 5 */
		/* 2 */ LDX(BPF_DW, 1, 10, -8),
		/* 3 */ ADD64_REG(0, 1),         /* r0 = sub's + 11 */
		/* 4 */ EXIT(),
		/* 5: sub */ ST(BPF_DW, 10, -8, 22),
		/* 6 */ ST(BPF_DW, 10, -16, 0),  /* (unchecked runs do not clear the stack) */
		/* 7 */ LD_FUNC(2, 17 - 8),
		/* 9 */ MOV64_REG(3, 10),
		/* 10 */ MOV64_IMM(1, 3),
		/* 11 */ CALL(BPF_FUNC_loop),      /* r4 (flags) = 0: never written */
		/* 12 */ LDX(BPF_DW, 0, 10, -8),   /* 22 + 3 callbacks * 100 */
		/* 13 */ LDX(BPF_DW, 1, 10, -16),   /* the callback must not touch it */
		/* 14 */ ADD64_REG(0, 1),
		/* 15 */ EXIT(),
		/* 16 */ EXIT(),
		/* 17: callback(i, ctx = sub's r10) */
		ST(BPF_DW, 10, -512, 5), ST(BPF_DW, 10, -8, 6),
		LDX(BPF_DW, 3, 2, -8), ADD64_IMM(3, 100), STX(BPF_DW, 2, 3, -8),
		MOV64_IMM(0, 0), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);

	(void)state;
	for (int checked = 0; checked < 2; checked++) {
		struct outcome o = run_both(prog, checked, 0);

		assert_int_equal(o.ret, 0);
		assert_int_equal(o.r0, 22 + 300 + 11);
	}
	uebpf_prog_destroy(prog);
}

static void test_loop_bad_callback(void **state)
{
	const struct bpf_insn insns[] = {
		MOV64_IMM(1, 3), LDDW(2, 0x1234), MOV64_IMM(3, 0), MOV64_IMM(4, 0),
		CALL(BPF_FUNC_loop), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct outcome o = run_both(prog, true, 0);

	(void)state;
	assert_int_equal(o.ret, -EINVAL);
	assert_non_null(strstr(o.err.msg, "not the code address of a sub-program"));
	uebpf_prog_destroy(prog);
}

/* A fault inside a callback fails the run with the callback's message. */
static void test_loop_callback_fault(void **state)
{
	const struct bpf_insn insns[] = {
		/* 0 */ MOV64_IMM(1, 2),
		/* 1 */ LD_FUNC(2, 7 - 2),
		/* 3 */ MOV64_IMM(3, 0),
		/* 4 */ MOV64_IMM(4, 0),
		/* 5 */ CALL(BPF_FUNC_loop),
		/* 6 */ EXIT(),
		/* 7: callback(i, ctx = 0): reads address 0 + 8 */
		LDX(BPF_DW, 0, 2, 8), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct outcome o = run_both(prog, true, 0);

	(void)state;
	assert_int_equal(o.ret, -EFAULT);
	assert_non_null(strstr(o.err.msg, "insn 7"));
	uebpf_prog_destroy(prog);
}

/* Nested callbacks (a bpf_loop callback calling bpf_loop) share frames and
 * budget; sweep the budget across the whole run. */
static void test_nested_loops(void **state)
{
	const struct bpf_insn insns[] = {
		/* 0 */ ST(BPF_DW, 10, -8, 0),
		/* 1 */ MOV64_IMM(1, 4),
		/* 2 */ LD_FUNC(2, 10 - 3),
		/* 4 */ MOV64_REG(3, 10), ADD64_IMM(3, -8),
		/* 6 */ MOV64_IMM(4, 0),
		/* 7 */ CALL(BPF_FUNC_loop),
		/* 8 */ LDX(BPF_DW, 0, 10, -8),
		/* 9 */ EXIT(),
		/* 10: outer(i, ctx) */
		MOV64_REG(3, 2),
		MOV64_IMM(1, 3),
		LD_FUNC(2, 18 - 13),
		MOV64_IMM(4, 0),
		CALL(BPF_FUNC_loop),
		MOV64_IMM(0, 0),
		EXIT(),
		/* 18: inner(j, ctx): *ctx += j + 1 */
		LDX(BPF_DW, 3, 2, 0), ADD64_REG(3, 1), ADD64_IMM(3, 1), STX(BPF_DW, 2, 3, 0),
		MOV64_IMM(0, 0), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct outcome o;

	(void)state;
	for (int checked = 0; checked < 2; checked++) {
		o = run_both(prog, checked, 0);
		assert_int_equal(o.ret, 0);
		assert_int_equal(o.r0, 4 * (1 + 2 + 3));
	}
	for (uint64_t budget = 1; budget <= 150; budget++)
		run_both(prog, true, budget);
	uebpf_prog_destroy(prog);
}

/* ------------------------------------------------- callbacks in machine code */

static const void *where_seen[4];
static unsigned nr_where;

static uint64_t helper_where(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
			     struct uebpf_run_ctx *rc)
{
	(void)r1, (void)r2, (void)r3, (void)r4, (void)r5, (void)rc;
	if (nr_where < N(where_seen))
		where_seen[nr_where++] = __builtin_return_address(0);
	return 0;
}

/* The caller and its bpf_loop callback both call helper_where: both calls
 * must come from the JIT image's code, i.e. the callback did not fall back
 * to the interpreter. */
static void test_callback_runs_jitted(void **state)
{
	const struct bpf_insn insns[] = {
		/* 0 */ CALL(HELPER_WHERE),
		/* 1 */ MOV64_IMM(1, 2),
		/* 2 */ LD_FUNC(2, 8 - 3),
		/* 4 */ MOV64_IMM(3, 0),
		/* 5 */ MOV64_IMM(4, 0),
		/* 6 */ CALL(BPF_FUNC_loop),
		/* 7 */ EXIT(),
		/* 8: callback */ CALL(HELPER_WHERE), MOV64_IMM(0, 0), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);

	(void)state;
	for (int checked = 0; checked < 2; checked++) {
		const struct jit_image *image;
		const uint8_t *code;
		size_t len;
		struct outcome o;

		nr_where = 0;
		o = run_engine(prog, UEBPF_ENGINE_JIT, checked, 0, NULL, 0);
		assert_int_equal(o.ret, 0);
		assert_int_equal(o.r0, 2);
		assert_int_equal(nr_where, 3);
		image = checked ? prog->jit_checked : prog->jit;
		assert_non_null(image);
		code = jit_image_code(image, &len);
		for (unsigned k = 0; k < nr_where; k++)
			assert_true((const uint8_t *)where_seen[k] > code &&
				    (const uint8_t *)where_seen[k] <= code + len);
	}
	uebpf_prog_destroy(prog);
}

/* A timer callback runs where its setter ran: armed by a program in the JIT,
 * it fires (uebpf_env_run_timers, outside any run) in that image's code;
 * armed in the interpreter, it stays there. The callback counts in the map
 * value, so both engines must also leave the same count. */
static void test_timer_callback_engine(void **state)
{
	struct uebpf_map *map = make_map("tmr", BPF_MAP_TYPE_ARRAY, 4, 24, 1);
	const struct bpf_insn insns[] = {
		/* 0 */ ST(BPF_W, 10, -8, 0),
		/* 1 */ LD_MAP(1, 0),
		/* 3 */ MOV64_REG(2, 10), ADD64_IMM(2, -8),
		/* 5 */ CALL(BPF_FUNC_map_lookup_elem),
		/* 6 */ JMP_IMM(BPF_JNE, 0, 0, 2),
		/* 7 */ MOV64_IMM(0, 1),
		/* 8 */ EXIT(),
		/* 9 */ MOV64_REG(6, 0), ADD64_IMM(6, 8),
		/* 11 */ MOV64_REG(1, 6),
		/* 12 */ LD_MAP(2, 0),
		/* 14 */ MOV64_IMM(3, 1 /* CLOCK_MONOTONIC */),
		/* 15 */ CALL(BPF_FUNC_timer_init),
		/* 16 */ MOV64_REG(1, 6),
		/* 17 */ LD_FUNC(2, 26 - 18),
		/* 19 */ CALL(BPF_FUNC_timer_set_callback),
		/* 20 */ MOV64_REG(1, 6),
		/* 21 */ MOV64_IMM(2, 0),
		/* 22 */ MOV64_IMM(3, 0),
		/* 23 */ CALL(BPF_FUNC_timer_start),
		/* 24 */ MOV64_IMM(0, 0),
		/* 25 */ EXIT(),
		/* 26: callback(map, key, value): value->count += 1 */
		MOV64_REG(6, 3), CALL(HELPER_WHERE),
		LDX(BPF_DW, 1, 6, 0), ADD64_IMM(1, 1), STX(BPF_DW, 6, 1, 0),
		MOV64_IMM(0, 0), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, &map, 1);
	struct uebpf_error err = { 0 };
	struct uebpf_env *env = NULL;
	uint64_t expected_count = 0;

	(void)state;
	assert_int_equal(uebpf_env_create(NULL, &env, &err), 0);
	for (int engine = 0; engine < 2; engine++)
		for (int checked = 0; checked < 2; checked++) {
			bool jit = engine == 1;
			struct uebpf_run_opts opts = {
				.sz = sizeof(opts), .env = env,
				.engine = jit ? UEBPF_ENGINE_JIT : UEBPF_ENGINE_INTERP,
				.flags = checked ? 0 : UEBPF_RUN_UNCHECKED,
			};
			const struct jit_image *image;
			const uint8_t *code;
			uint8_t value[24];
			uint32_t key = 0;
			uint64_t r0 = 1, count;
			size_t len;

			prog->verified = !checked;
			assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), 0);
			assert_int_equal(r0, 0);
			nr_where = 0;
			assert_int_equal(uebpf_env_run_timers(env, &err), 1);
			prog->verified = false;
			assert_int_equal(nr_where, 1);
			assert_int_equal(uebpf_map_lookup(map, &key, value, &err), 0);
			memcpy(&count, value, sizeof(count));
			assert_int_equal(count, ++expected_count);

			image = checked ? prog->jit_checked : prog->jit;
			if (!image) {
				assert_false(jit);
				continue;
			}
			code = jit_image_code(image, &len);
			assert_int_equal((const uint8_t *)where_seen[0] > code &&
					 (const uint8_t *)where_seen[0] <= code + len, jit);
		}
	uebpf_env_destroy(env);
	uebpf_prog_destroy(prog);
	uebpf_map_destroy(map);
}

/* ------------------------------------------------------------- for_each */

/* for_each over an 8-entry map holding 10 * key; the callback adds the
 * value to a sum on the caller's stack and stops at key `stop`. Returns
 * calls * 1000 + sum. */
static uint64_t for_each(struct uebpf_map *map, int32_t stop, bool checked)
{
	struct uebpf_prog *prog = for_each_sum_prog(set, &map, stop, 0);
	struct outcome o = run_both(prog, checked, 0);

	if (o.ret)
		fail_msg("for_each run: %s", o.err.msg);
	for (uint64_t budget = 1; checked && budget <= 120; budget++)
		run_both(prog, true, budget);
	uebpf_prog_destroy(prog);
	return o.r0;
}

static void test_for_each(void **state)
{
	struct uebpf_map *map = make_map("fe", BPF_MAP_TYPE_ARRAY, 4, 8, 8);
	struct uebpf_map *hash = make_map("feh", BPF_MAP_TYPE_HASH, 4, 8, 8);
	uint32_t k;

	(void)state;
	for (k = 0; k < 8; k++) {
		uint64_t v = 10 * k;

		assert_int_equal(uebpf_map_update(map, &k, &v, BPF_ANY, NULL), 0);
		if (k < 5)
			assert_int_equal(uebpf_map_update(hash, &k, &v, BPF_ANY, NULL), 0);
	}
	for (int checked = 0; checked < 2; checked++) {
		assert_int_equal(for_each(map, 3, checked), 4 * 1000 + 60);     /* early stop */
		assert_int_equal(for_each(map, 99, checked), 8 * 1000 + 280);   /* all */
		assert_int_equal(for_each(hash, 99, checked), 5 * 1000 + 100);
	}
	uebpf_map_destroy(map);
	uebpf_map_destroy(hash);
}

/* ----------------------------------------------------------- tail calls */

static void test_tail_call_chain(void **state)
{
	struct uebpf_map *maps[2] = {
		make_map("dispatch", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 8),
		make_map("counter", BPF_MAP_TYPE_ARRAY, 4, 8, 1),
	};
	struct uebpf_prog *self = counting_prog(set, maps, 0);
	struct uebpf_prog *empty = counting_prog(set, maps, 5);
	uint32_t id, key = 0;

	(void)state;
	assert_int_equal(uebpf_prog_registry_add(self, &id, NULL), 0);
	assert_int_equal(uebpf_map_update(maps[0], &key, &id, BPF_ANY, NULL), 0);

	for (int checked = 0; checked < 2; checked++) {
		struct outcome o;

		/* 1 run + 33 tail calls, then the 34th call fails and the
		 * program goes on with bpf_tail_call's -E2BIG */
		reset_counter(maps[1]);
		o = run_engine(self, UEBPF_ENGINE_JIT, checked, 0, NULL, 0);
		assert_int_equal(o.ret, 0);
		assert_int_equal((int64_t)o.r0, -E2BIG);
		assert_int_equal(counter_value(maps[1]), 34);
		assert_non_null(checked ? self->jit_checked : self->jit);

		reset_counter(maps[1]);
		o = run_engine(empty, UEBPF_ENGINE_JIT, checked, 0, NULL, 0);
		assert_int_equal(o.ret, 0);
		assert_int_equal((int64_t)o.r0, -ENOENT);
		assert_int_equal(counter_value(maps[1]), 1);
	}
	/* the budget is shared along the chain: same outcome in both engines */
	for (uint64_t budget = 1; budget <= 34 * 16; budget += 7) {
		reset_counter(maps[1]);
		run_both(self, true, budget);
	}

	uebpf_prog_registry_forget(self);
	uebpf_prog_destroy(self);
	uebpf_prog_destroy(empty);
	uebpf_map_destroy(maps[0]);
	uebpf_map_destroy(maps[1]);
}

static void test_tail_call_ctx(void **state)
{
	struct uebpf_map *array = make_map("pa", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
	struct uebpf_prog *a, *b;
	uint8_t mem[4] = { 42 };
	uint32_t id, key = 2;
	struct outcome o;

	(void)state;
	tail_ctx_progs(set, &array, &a, &b);
	assert_int_equal(uebpf_prog_registry_add(b, &id, NULL), 0);
	assert_int_equal(uebpf_map_update(array, &key, &id, BPF_ANY, NULL), 0);
	o = run_engine(a, UEBPF_ENGINE_JIT, true, 0, mem, sizeof(mem));
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 42);
	assert_non_null(b->jit_checked);   /* the target ran in the JIT too */
	/* an unchecked run may only continue into a verified program */
	{
		struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = mem, .mem_len = 4,
					       .engine = UEBPF_ENGINE_JIT,
					       .flags = UEBPF_RUN_UNCHECKED };
		uint64_t r0 = 0;

		a->verified = true;
		assert_int_equal(uebpf_prog_run(a, &opts, &r0, NULL), 0);
		assert_int_equal(r0, 1);
		a->verified = false;
	}
	uebpf_prog_registry_forget(b);
	uebpf_prog_destroy(a);
	uebpf_prog_destroy(b);
	uebpf_map_destroy(array);
}

static int setup(void **state)
{
	const struct uebpf_helper_proto where = {
		.id = HELPER_WHERE, .name = "where", .fn = helper_where,
		.ret = UEBPF_RET_INTEGER,
	};
	struct uebpf_error err = { 0 };

	(void)state;
	set = all_helpers(UEBPF_PROG_TYPE_RAW);
	if (uebpf_helper_set_add(set, &where, &err))
		fail_msg("uebpf_helper_set_add: %s", err.msg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	uebpf_helper_set_destroy(set);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_loop_budget),
		cmocka_unit_test(test_loop_frames),
		cmocka_unit_test(test_loop_frame_placement),
		cmocka_unit_test(test_loop_bad_callback),
		cmocka_unit_test(test_loop_callback_fault),
		cmocka_unit_test(test_nested_loops),
		cmocka_unit_test(test_callback_runs_jitted),
		cmocka_unit_test(test_timer_callback_engine),
		cmocka_unit_test(test_for_each),
		cmocka_unit_test(test_tail_call_chain),
		cmocka_unit_test(test_tail_call_ctx),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
