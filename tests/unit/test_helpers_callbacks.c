/* SPDX-License-Identifier: MIT */
/* Helpers that run program code: bpf_loop (early stop, errors, shared
 * budget and frames), bpf_tail_call (chain limit 33, failures continue,
 * ctx passed on), timers (init/set_callback/start/cancel, host ticks). */
#include "test_helpers_util.h"


static struct uebpf_helper_set *set;

/* bpf_loop(n, cb, &sum, flags), cb adds i to sum and stops once i >= stop.
 * Returns loops * 1000 + sum. */
static int loop_prog(int32_t n, int32_t stop, int32_t flags, uint64_t budget, uint64_t *r0,
		     struct uebpf_error *err)
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
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct uebpf_run_opts opts = { .sz = sizeof(opts), .engine = UEBPF_ENGINE_INTERP,
				       .insn_budget = budget };
	int ret = uebpf_prog_run(prog, &opts, r0, err);

	uebpf_prog_destroy(prog);
	return ret;
}

static void test_loop(void **state)
{
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	(void)state;
	assert_int_equal(loop_prog(100, 9, 0, 0, &r0, &err), 0);
	assert_int_equal(r0, 10 * 1000 + 45);                 /* stopped at i = 9 */
	assert_int_equal(loop_prog(5, 99, 0, 0, &r0, &err), 0);
	assert_int_equal(r0, 5 * 1000 + 10);                  /* ran out of loops */
	assert_int_equal(loop_prog(0, 99, 0, 0, &r0, &err), 0);
	assert_int_equal(r0, 0);
	assert_int_equal(loop_prog(5, 99, 1, 0, &r0, &err), 0);
	assert_int_equal((int64_t)r0, -EINVAL * 1000ll);      /* flags */
	assert_int_equal(loop_prog((1 << 23) + 1, 99, 0, 0, &r0, &err), 0);
	assert_int_equal((int64_t)r0, -E2BIG * 1000ll);       /* too many loops */
	/* callbacks charge the run's budget: 1000 calls of 6 instructions */
	assert_int_equal(loop_prog(1000, 5000, 0, 500, &r0, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "budget"));
	assert_int_equal(loop_prog(100, 5000, 0, 100 * 6 + 11, &r0, &err), 0);
	assert_int_equal(r0, 100 * 1000 + 4950);
	assert_int_equal(loop_prog(100, 5000, 0, 100 * 6 + 10, &r0, &err), -E2BIG);
}

/* bpf_loop from inside a local call: the callback's frame goes below the
 * caller's and frames are shared with local calls. The callback recurses
 * with local calls `depth` times. */
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
		/* 10: callback(i, ctx): r0 = number of nested calls that fit */
		ST(BPF_DW, 10, -512, 7),         /* lowest byte of its frame */
		MOV64_IMM(0, 0),
		CALL_LOCAL(1),
		EXIT(),
		/* 14: rec */ CALL_LOCAL(-1),    /* recurse into itself */
		EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct uebpf_error err = { 0 };
	uint64_t r0;

	(void)state;
	/* frames: main 0, sub 1, callback 2, rec 3..7, then the 9th fails */
	assert_int_equal(run_prog(prog, true, NULL, 0, NULL, &r0, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "frames"));
	uebpf_prog_destroy(prog);
}

static void test_loop_bad_callback(void **state)
{
	const struct bpf_insn insns[] = {
		MOV64_IMM(1, 3), LDDW(2, 0x1234), MOV64_IMM(3, 0), MOV64_IMM(4, 0),
		CALL(BPF_FUNC_loop), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, NULL, 0);
	struct uebpf_error err = { 0 };
	uint64_t r0;

	(void)state;
	assert_int_equal(run_prog(prog, true, NULL, 0, NULL, &r0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not the code address of a sub-program"));
	uebpf_prog_destroy(prog);
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
	struct uebpf_prog *outside = counting_prog(set, maps, 300);
	uint32_t id, key = 0;

	(void)state;
	assert_int_equal(uebpf_prog_registry_add(self, &id, NULL), 0);
	assert_int_equal(uebpf_map_update(maps[0], &key, &id, BPF_ANY, NULL), 0);

	/* 1 run + 33 tail calls, then the 34th call fails and the program
	 * goes on with bpf_tail_call's -E2BIG */
	reset_counter(maps[1]);
	assert_int_equal((int64_t)run_checked(self, NULL, 0, NULL), -E2BIG);
	assert_int_equal(counter_value(maps[1]), 34);
	reset_counter(maps[1]);
	assert_int_equal((int64_t)run_ok(self, NULL, 0, NULL), -E2BIG);
	assert_int_equal(counter_value(maps[1]), 68);

	reset_counter(maps[1]);
	assert_int_equal((int64_t)run_checked(empty, NULL, 0, NULL), -ENOENT);
	assert_int_equal(counter_value(maps[1]), 1);
	assert_int_equal((int64_t)run_checked(outside, NULL, 0, NULL), -E2BIG);
	assert_int_equal(counter_value(maps[1]), 2);

	uebpf_prog_registry_forget(self);
	uebpf_prog_destroy(self);
	uebpf_prog_destroy(empty);
	uebpf_prog_destroy(outside);
	uebpf_map_destroy(maps[0]);
	uebpf_map_destroy(maps[1]);
}

static void test_tail_call_ctx(void **state)
{
	struct uebpf_map *array = make_map("pa", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4);
	struct uebpf_prog *a, *b;
	uint8_t mem[4] = { 42 };
	uint32_t id, key = 2;

	(void)state;
	tail_ctx_progs(set, &array, &a, &b);
	assert_int_equal(uebpf_prog_registry_add(b, &id, NULL), 0);
	assert_int_equal(uebpf_map_update(array, &key, &id, BPF_ANY, NULL), 0);
	assert_int_equal(run_checked(a, mem, sizeof(mem), NULL), 42);
	/* an unchecked run may only continue into a verified program */
	b->verified = false;
	a->verified = true;
	{
		struct uebpf_run_opts opts = { .sz = sizeof(opts), .mem = mem, .mem_len = 4,
					       .engine = UEBPF_ENGINE_INTERP,
					       .flags = UEBPF_RUN_UNCHECKED };
		uint64_t r0 = 0;

		assert_int_equal(uebpf_prog_run(a, &opts, &r0, NULL), 0);
		assert_int_equal(r0, 1);
	}
	uebpf_prog_registry_forget(b);
	uebpf_prog_destroy(a);
	uebpf_prog_destroy(b);
	uebpf_map_destroy(array);
}

/* --------------------------------------------------------------- timers */

/* value = { u64 count; struct bpf_timer timer; }: init (result kept in r7),
 * set the callback, start after `ns`; the callback counts. With `cancel`,
 * the program cancels instead and returns the result. */
static struct uebpf_prog *timer_prog(struct uebpf_map **map, int32_t ns, bool cancel)
{
	const struct bpf_insn insns[] = {
		/* 0 */ ST(BPF_W, 10, -8, 0),
		/* 1 */ LD_MAP(1, 0),
		/* 3 */ MOV64_REG(2, 10), ADD64_IMM(2, -8),
		/* 5 */ CALL(BPF_FUNC_map_lookup_elem),
		/* 6 */ JMP_IMM(BPF_JNE, 0, 0, 2),
		/* 7 */ MOV64_IMM(0, -1),
		/* 8 */ EXIT(),
		/* 9 */ MOV64_REG(6, 0), ADD64_IMM(6, 8),
		/* 11 */ MOV64_REG(1, 6),
		/* 12 */ cancel ? CALL(BPF_FUNC_timer_cancel) : MOV64_REG(1, 6),
		/* 13 */ cancel ? EXIT() : MOV64_REG(1, 6),
		/* 14 */ LD_MAP(2, 0),
		/* 16 */ MOV64_IMM(3, 1 /* CLOCK_MONOTONIC */),
		/* 17 */ CALL(BPF_FUNC_timer_init),
		/* 18 */ MOV64_REG(7, 0),
		/* 19 */ MOV64_REG(1, 6),
		/* 20 */ LD_FUNC(2, 31 - 21),
		/* 22 */ CALL(BPF_FUNC_timer_set_callback),
		/* 23 */ MOV64_REG(1, 6),
		/* 24 */ MOV64_IMM(2, ns),
		/* 25 */ MOV64_IMM(3, 0),
		/* 26 */ CALL(BPF_FUNC_timer_start),
		/* 27 */ JMP_IMM(BPF_JEQ, 0, 0, 1),
		/* 28 */ MOV64_REG(7, 0),
		/* 29 */ MOV64_REG(0, 7),
		/* 30 */ EXIT(),
		/* 31: callback(map, key, value) */
		LDX(BPF_W, 4, 2, 0),           /* reads the key */
		LDX(BPF_DW, 1, 3, 0), ADD64_IMM(1, 1), ADD64_REG(1, 4), STX(BPF_DW, 3, 1, 0),
		MOV64_IMM(0, 0), EXIT(),
	};

	return load_prog(insns, N(insns), set, map, 1);
}

static uint64_t count_of(struct uebpf_map *map)
{
	uint8_t value[24];
	uint32_t key = 0;
	uint64_t v;

	assert_int_equal(uebpf_map_lookup(map, &key, value, NULL), 0);
	memcpy(&v, value, 8);
	return v;
}

static void test_timers(void **state)
{
	struct uebpf_map *map = make_map("tm", BPF_MAP_TYPE_ARRAY, 4, 24, 1);
	struct uebpf_prog *start_now = timer_prog(&map, 0, false);
	struct uebpf_prog *start_late = timer_prog(&map, 2000000000, false);
	struct uebpf_prog *cancel = timer_prog(&map, 0, true);
	struct uebpf_env *env = NULL;
	struct uebpf_error err = { 0 };

	(void)state;
	assert_int_equal(uebpf_env_create(NULL, &env, &err), 0);
	assert_int_equal(uebpf_env_next_timer_ns(env), UINT64_MAX);
	/* no environment: timers are not available */
	assert_int_equal((int64_t)run_checked(start_now, NULL, 0, NULL), -EOPNOTSUPP);
	/* cancel before init */
	assert_int_equal((int64_t)run_checked(cancel, NULL, 0, env), -EINVAL);

	assert_int_equal(run_checked(start_now, NULL, 0, env), 0);
	assert_int_equal(uebpf_env_next_timer_ns(env), 0);
	assert_int_equal(uebpf_env_run_timers(env, &err), 1);
	assert_int_equal(count_of(map), 1);
	assert_int_equal(uebpf_env_run_timers(env, &err), 0);   /* fired once */
	assert_int_equal(uebpf_env_next_timer_ns(env), UINT64_MAX);

	/* second init: -EBUSY, but the timer still restarts */
	assert_int_equal((int64_t)run_checked(start_now, NULL, 0, env), -EBUSY);
	assert_int_equal(uebpf_env_run_timers(env, &err), 1);
	assert_int_equal(count_of(map), 2);

	/* a far timer: not due; cancel says it was armed, then not */
	assert_int_equal((int64_t)run_checked(start_late, NULL, 0, env), -EBUSY);
	assert_true(uebpf_env_next_timer_ns(env) > 1000000000ull);
	assert_int_equal(uebpf_env_run_timers(env, &err), 0);
	assert_int_equal(run_checked(cancel, NULL, 0, env), 1);
	assert_int_equal(run_checked(cancel, NULL, 0, env), 0);
	assert_int_equal(uebpf_env_next_timer_ns(env), UINT64_MAX);

	/* a program that overwrites the timer word forges nothing: the timer
	 * is uninitialised again */
	{
		uint8_t value[24] = { 0 };
		uint32_t key = 0;

		assert_int_equal(uebpf_map_update(map, &key, value, BPF_ANY, NULL), 0);
		assert_int_equal((int64_t)run_checked(cancel, NULL, 0, env), -EINVAL);
		assert_int_equal(run_checked(start_now, NULL, 0, env), 0);
		assert_int_equal(uebpf_env_run_timers(env, &err), 1);
		assert_int_equal(count_of(map), 1);
	}
	uebpf_env_destroy(env);
	uebpf_prog_destroy(start_now);
	uebpf_prog_destroy(start_late);
	uebpf_prog_destroy(cancel);
	uebpf_map_destroy(map);
}

static int setup(void **state)
{
	(void)state;
	set = all_helpers(UEBPF_PROG_TYPE_RAW);
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
		cmocka_unit_test(test_loop_frames),
		cmocka_unit_test(test_loop_bad_callback),
		cmocka_unit_test(test_tail_call_chain),
		cmocka_unit_test(test_tail_call_ctx),
		cmocka_unit_test(test_timers),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
