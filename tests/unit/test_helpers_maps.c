/* SPDX-License-Identifier: MIT */
/* Map helpers: lookup/update/delete with their error returns, queue
 * push/pop/peek, per-CPU lookup, bpf_for_each_map_elem with early stop,
 * and the checked-run refusals of forged maps and bad pointers. */
#include "test_helpers_util.h"


static struct uebpf_helper_set *set;

static uint64_t do_update(struct uebpf_map *map, int32_t key, int32_t val, int32_t flags)
{
	const struct bpf_insn insns[] = {
		ST(BPF_W, 10, -8, key),
		ST(BPF_DW, 10, -16, val),
		LD_MAP(1, 0),
		MOV64_REG(2, 10), ADD64_IMM(2, -8),
		MOV64_REG(3, 10), ADD64_IMM(3, -16),
		MOV64_IMM(4, flags),
		CALL(BPF_FUNC_map_update_elem),
		EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, &map, 1);
	uint64_t r0 = run_checked(prog, NULL, 0, NULL);

	uebpf_prog_destroy(prog);
	return r0;
}

/* The value (u64) stored under key, or -1 when missing; then adds 1 to it
 * through the pointer lookup returned. */
static uint64_t do_lookup_inc(struct uebpf_map *map, int32_t key, bool checked)
{
	const struct bpf_insn insns[] = {
		ST(BPF_W, 10, -8, key),
		LD_MAP(1, 0),
		MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(BPF_FUNC_map_lookup_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 6),
		LDX(BPF_DW, 1, 0, 0),
		MOV64_REG(2, 1), ADD64_IMM(2, 1),
		STX(BPF_DW, 0, 2, 0),
		MOV64_REG(0, 1),
		EXIT(),
		MOV64_IMM(0, -1),
		EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, &map, 1);
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	if (run_prog(prog, checked, NULL, 0, NULL, &r0, &err))
		fail_msg("lookup run: %s", err.msg);
	uebpf_prog_destroy(prog);
	return r0;
}

static uint64_t do_delete(struct uebpf_map *map, int32_t key)
{
	const struct bpf_insn insns[] = {
		ST(BPF_W, 10, -8, key),
		LD_MAP(1, 0),
		MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(BPF_FUNC_map_delete_elem),
		EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, &map, 1);
	uint64_t r0 = run_checked(prog, NULL, 0, NULL);

	uebpf_prog_destroy(prog);
	return r0;
}

static void test_hash_update_lookup_delete(void **state)
{
	struct uebpf_map *map = make_map("h", BPF_MAP_TYPE_HASH, 4, 8, 2);

	(void)state;
	assert_int_equal((int64_t)do_update(map, 1, 100, BPF_ANY), 0);
	assert_int_equal((int64_t)do_update(map, 2, 200, BPF_NOEXIST), 0);
	assert_int_equal((int64_t)do_update(map, 3, 300, BPF_ANY), -E2BIG);   /* full */
	assert_int_equal((int64_t)do_update(map, 1, 111, BPF_NOEXIST), -EEXIST);
	assert_int_equal((int64_t)do_update(map, 9, 900, BPF_EXIST), -ENOENT);
	assert_int_equal((int64_t)do_update(map, 1, 111, 8), -EINVAL);        /* flags */
	assert_int_equal(do_lookup_inc(map, 1, true), 100);
	assert_int_equal(do_lookup_inc(map, 1, false), 101);
	assert_int_equal(do_lookup_inc(map, 1, true), 102);
	assert_int_equal((int64_t)do_lookup_inc(map, 7, true), -1);
	assert_int_equal((int64_t)do_delete(map, 1), 0);
	assert_int_equal((int64_t)do_delete(map, 1), -ENOENT);
	assert_int_equal((int64_t)do_lookup_inc(map, 1, true), -1);
	uebpf_map_destroy(map);
}

static void test_array_errors(void **state)
{
	struct uebpf_map *map = make_map("a", BPF_MAP_TYPE_ARRAY, 4, 8, 4);

	(void)state;
	assert_int_equal((int64_t)do_update(map, 3, 5, BPF_ANY), 0);
	assert_int_equal((int64_t)do_update(map, 4, 5, BPF_ANY), -E2BIG);     /* index */
	assert_int_equal((int64_t)do_update(map, 0, 5, BPF_NOEXIST), -EEXIST);
	assert_int_equal((int64_t)do_delete(map, 0), -EINVAL);
	assert_int_equal(do_lookup_inc(map, 3, true), 5);
	assert_int_equal((int64_t)do_lookup_inc(map, 4, true), -1);
	uebpf_map_destroy(map);
}

/* push(v, flags) returns r0; pop/peek return the value or the error. */
static int64_t queue_op(struct uebpf_map *map, int op, int32_t v, int32_t flags)
{
	const struct bpf_insn push[] = {
		ST(BPF_DW, 10, -8, v), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		MOV64_IMM(3, flags), CALL(BPF_FUNC_map_push_elem), EXIT(),
	};
	const struct bpf_insn pop[] = {
		ST(BPF_DW, 10, -8, 0), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(op == 1 ? BPF_FUNC_map_pop_elem : BPF_FUNC_map_peek_elem),
		JMP_IMM(BPF_JNE, 0, 0, 1), LDX(BPF_DW, 0, 10, -8), EXIT(),
	};
	struct uebpf_prog *prog = op == 0 ? load_prog(push, N(push), set, &map, 1)
					  : load_prog(pop, N(pop), set, &map, 1);
	uint64_t r0 = run_checked(prog, NULL, 0, NULL);

	uebpf_prog_destroy(prog);
	return (int64_t)r0;
}

static void test_queue_push_pop_peek(void **state)
{
	struct uebpf_map *map = make_map("q", BPF_MAP_TYPE_QUEUE, 0, 8, 2);

	(void)state;
	assert_int_equal(queue_op(map, 2, 0, 0), -ENOENT);          /* peek empty */
	assert_int_equal(queue_op(map, 0, 10, BPF_ANY), 0);
	assert_int_equal(queue_op(map, 0, 20, BPF_ANY), 0);
	assert_int_equal(queue_op(map, 0, 30, BPF_ANY), -E2BIG);    /* full */
	assert_int_equal(queue_op(map, 0, 30, BPF_EXIST), 0);       /* drops 10 */
	assert_int_equal(queue_op(map, 0, 40, 7), -EINVAL);         /* flags */
	assert_int_equal(queue_op(map, 2, 0, 0), 20);
	assert_int_equal(queue_op(map, 1, 0, 0), 20);
	assert_int_equal(queue_op(map, 1, 0, 0), 30);
	assert_int_equal(queue_op(map, 1, 0, 0), -ENOENT);
	uebpf_map_destroy(map);
}

static void test_percpu_lookup(void **state)
{
	struct uebpf_map *map = make_map("pc", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2);
	size_t slots = uebpf_map_nr_slots(map), i;
	uint64_t *values = calloc(slots, 8);
	uint32_t key = 1;
	const struct bpf_insn insns[] = {
		ST(BPF_W, 10, -8, 1), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		MOV64_IMM(3, 0), CALL(BPF_FUNC_map_lookup_percpu_elem),
		JMP_IMM(BPF_JEQ, 0, 0, 2), LDX(BPF_DW, 0, 0, 0), EXIT(),
		MOV64_IMM(0, -1), EXIT(),
	};
	const struct bpf_insn bad_cpu[] = {
		ST(BPF_W, 10, -8, 1), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		MOV64_IMM(3, 100000), CALL(BPF_FUNC_map_lookup_percpu_elem), EXIT(),
	};
	struct uebpf_prog *prog, *bad;

	(void)state;
	for (i = 0; i < slots; i++)
		values[i] = 1000 + i;
	assert_int_equal(uebpf_map_update(map, &key, values, BPF_ANY, NULL), 0);
	prog = load_prog(insns, N(insns), set, &map, 1);
	assert_int_equal(run_ok(prog, NULL, 0, NULL), 1000);
	bad = load_prog(bad_cpu, N(bad_cpu), set, &map, 1);
	assert_int_equal(run_ok(bad, NULL, 0, NULL), 0);
	uebpf_prog_destroy(prog);
	uebpf_prog_destroy(bad);
	uebpf_map_destroy(map);
	free(values);
}

/* for_each over an 8-entry array holding 10 * key; the callback adds the
 * value to a sum on the caller's stack and stops at key `stop`. Returns
 * calls * 1000 + sum. */
static uint64_t for_each(struct uebpf_map *map, int32_t stop, int32_t flags, bool checked)
{
	struct uebpf_prog *prog = for_each_sum_prog(set, &map, stop, flags);
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;

	if (run_prog(prog, checked, NULL, 0, NULL, &r0, &err))
		fail_msg("for_each run: %s", err.msg);
	uebpf_prog_destroy(prog);
	return r0;
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
	assert_int_equal(for_each(map, 3, 0, true), 4 * 1000 + 60);   /* early stop */
	assert_int_equal(for_each(map, 3, 0, false), 4 * 1000 + 60);
	assert_int_equal(for_each(map, 99, 0, true), 8 * 1000 + 280);  /* all */
	assert_int_equal(for_each(map, 99, 1, true), (uint64_t)(-EINVAL * 1000ll)); /* flags */
	/* hash: keys live in map memory the program has no region for */
	assert_int_equal(for_each(hash, 99, 0, true), 5 * 1000 + 100);
	uebpf_map_destroy(map);
	uebpf_map_destroy(hash);
}

static void test_checked_refusals(void **state)
{
	struct uebpf_map *map = make_map("r", BPF_MAP_TYPE_HASH, 4, 8, 2);
	const struct bpf_insn forged[] = {
		ST(BPF_W, 10, -8, 1), LDDW(1, 0x123456789aull), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(BPF_FUNC_map_lookup_elem), EXIT(),
	};
	const struct bpf_insn bad_key[] = {
		LD_MAP(1, 0), LDDW(2, 0x1000), CALL(BPF_FUNC_map_lookup_elem), EXIT(),
	};
	const struct bpf_insn bad_value[] = {
		ST(BPF_W, 10, -8, 1), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		MOV64_REG(3, 10), ADD64_IMM(3, -4), /* 8 bytes at fp-4 run off the stack */
		MOV64_IMM(4, 0), CALL(BPF_FUNC_map_update_elem), EXIT(),
	};
	struct uebpf_prog *p1 = load_prog(forged, N(forged), set, &map, 1);
	struct uebpf_prog *p2 = load_prog(bad_key, N(bad_key), set, &map, 1);
	struct uebpf_prog *p3 = load_prog(bad_value, N(bad_value), set, &map, 1);
	struct uebpf_error err = { 0 };
	uint64_t r0;

	(void)state;
	assert_int_equal(run_prog(p1, true, NULL, 0, NULL, &r0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a map the program references"));
	assert_int_equal(run_prog(p2, true, NULL, 0, NULL, &r0, &err), -EFAULT);
	assert_non_null(strstr(err.msg, "bpf_map_lookup_elem: key"));
	assert_int_equal(run_prog(p3, true, NULL, 0, NULL, &r0, &err), -EFAULT);
	assert_non_null(strstr(err.msg, "value"));
	uebpf_prog_destroy(p1);
	uebpf_prog_destroy(p2);
	uebpf_prog_destroy(p3);
	uebpf_map_destroy(map);
}

static void test_load_refuses_bad_map_index(void **state)
{
	struct uebpf_map *map = make_map("i", BPF_MAP_TYPE_HASH, 4, 8, 2);
	const struct bpf_insn insns[] = { LD_MAP(1, 3), MOV64_IMM(0, 0), EXIT() };
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = "t", .helpers = set,
					.maps = &map, .nr_maps = 1 };
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog = NULL;

	(void)state;
	assert_int_equal(uebpf_prog_load(insns, N(insns), &opts, &prog, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "map index 3"));
	opts.maps = NULL;
	opts.nr_maps = 0;
	assert_int_equal(uebpf_prog_load(insns, N(insns), &opts, &prog, &err), -EINVAL);
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
		cmocka_unit_test(test_hash_update_lookup_delete),
		cmocka_unit_test(test_array_errors),
		cmocka_unit_test(test_queue_push_pop_peek),
		cmocka_unit_test(test_percpu_lookup),
		cmocka_unit_test(test_for_each),
		cmocka_unit_test(test_checked_refusals),
		cmocka_unit_test(test_load_refuses_bad_map_index),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
