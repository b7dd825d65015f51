/* SPDX-License-Identifier: MIT */
/* Ring buffer (reserve/submit/discard/output/query, the consumer sees
 * records in order, forgotten reservations are discarded), perf event
 * output, and bpf_spin_lock under threads. */
#include <pthread.h>

#include "test_helpers_util.h"

static struct uebpf_helper_set *set;

/* mem = { u64 value; u64 discard }: reserves 16 bytes, writes value and
 * submits or discards; returns 0, or 1 when reserve gave NULL. With
 * `forget` it returns without either. */
static struct uebpf_prog *rb_prog(struct uebpf_map **map, int32_t size, bool forget)
{
	const struct bpf_insn insns[] = {
		MOV64_REG(6, 1),
		LD_MAP(1, 0), MOV64_IMM(2, size), MOV64_IMM(3, 0),
		CALL(BPF_FUNC_ringbuf_reserve),
		JMP_IMM(BPF_JNE, 0, 0, 2), MOV64_IMM(0, 1), EXIT(),
		LDX(BPF_DW, 1, 6, 0), STX(BPF_DW, 0, 1, 0), ST(BPF_DW, 0, 8, 0),
		forget ? JA(8) : LDX(BPF_DW, 2, 6, 8),
		MOV64_REG(1, 0), MOV64_IMM(7, 0),
		JMP_IMM(BPF_JNE, 2, 0, 3),
		MOV64_IMM(2, 0), CALL(BPF_FUNC_ringbuf_submit), JA(2),
		MOV64_IMM(2, 0), CALL(BPF_FUNC_ringbuf_discard),
		MOV64_REG(0, 7), EXIT(),
	};

	return load_prog(insns, N(insns), set, map, 1);
}

struct seen {
	uint64_t values[16];
	size_t sizes[16];
	int n;
};

static int on_sample(void *ctx, const void *data, size_t size)
{
	struct seen *s = ctx;

	memcpy(&s->values[s->n], data, 8);
	s->sizes[s->n++] = size;
	return 0;
}

static void test_ringbuf_reserve_submit_discard(void **state)
{
	struct uebpf_map *map = make_map("rb", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
	struct uebpf_prog *prog = rb_prog(&map, 16, false);
	struct uebpf_prog *forget = rb_prog(&map, 16, true);
	struct uebpf_prog *huge = rb_prog(&map, 8192, false);
	struct seen seen = { .n = 0 };
	uint64_t mem[2];
	int i;

	(void)state;
	for (i = 1; i <= 5; i++) {
		mem[0] = (uint64_t)i;
		mem[1] = i == 3;     /* the third is discarded */
		assert_int_equal(i % 2 ? run_checked(prog, mem, sizeof(mem), NULL)
				       : run_ok(prog, mem, sizeof(mem), NULL), 0);
	}
	mem[0] = 99;
	assert_int_equal(run_checked(forget, mem, sizeof(mem), NULL), 0);
	assert_int_equal(run_checked(huge, mem, sizeof(mem), NULL), 1);   /* too big: NULL */
	/* 2, 4 ran twice (run_ok): 1, 2, 2, 4, 4, 5 committed, in order */
	assert_int_equal(uebpf_ringbuf_consume(map, on_sample, &seen, NULL), 6);
	assert_int_equal(seen.n, 6);
	assert_int_equal(seen.values[0], 1);
	assert_int_equal(seen.values[1], 2);
	assert_int_equal(seen.values[2], 2);
	assert_int_equal(seen.values[3], 4);
	assert_int_equal(seen.values[4], 4);
	assert_int_equal(seen.values[5], 5);
	assert_int_equal(seen.sizes[0], 16);
	assert_int_equal(uebpf_ringbuf_avail(map), 0);
	uebpf_prog_destroy(prog);
	uebpf_prog_destroy(forget);
	uebpf_prog_destroy(huge);
	uebpf_map_destroy(map);
}

static void test_ringbuf_output_query_errors(void **state)
{
	struct uebpf_map *map = make_map("rb2", BPF_MAP_TYPE_RINGBUF, 0, 0, 4096);
	const struct bpf_insn output[] = {
		MOV64_REG(6, 1), LD_MAP(1, 0), MOV64_REG(2, 6), MOV64_IMM(3, 8),
		LDX(BPF_DW, 4, 6, 8), CALL(BPF_FUNC_ringbuf_output), EXIT(),
	};
	const struct bpf_insn query[] = {
		MOV64_REG(6, 1), LD_MAP(1, 0), LDX(BPF_DW, 2, 6, 0),
		CALL(BPF_FUNC_ringbuf_query), EXIT(),
	};
	const struct bpf_insn bad_flags[] = {
		LD_MAP(1, 0), MOV64_IMM(2, 8), MOV64_IMM(3, 1), CALL(BPF_FUNC_ringbuf_reserve), EXIT(),
	};
	const struct bpf_insn bad_submit[] = {
		MOV64_REG(1, 10), ADD64_IMM(1, -8), MOV64_IMM(2, 0),
		CALL(BPF_FUNC_ringbuf_submit), EXIT(),
	};
	struct uebpf_prog *po = load_prog(output, N(output), set, &map, 1);
	struct uebpf_prog *pq = load_prog(query, N(query), set, &map, 1);
	struct uebpf_prog *pf = load_prog(bad_flags, N(bad_flags), set, &map, 1);
	struct uebpf_prog *ps = load_prog(bad_submit, N(bad_submit), set, NULL, 0);
	struct seen seen = { .n = 0 };
	struct uebpf_error err = { 0 };
	uint64_t mem[2] = { 77, BPF_RB_NO_WAKEUP }, r0;

	(void)state;
	assert_int_equal(run_ok(po, mem, sizeof(mem), NULL), 0);
	mem[1] = 4;
	assert_int_equal((int64_t)run_ok(po, mem, sizeof(mem), NULL), -EINVAL);
	mem[0] = BPF_RB_RING_SIZE;
	assert_int_equal(run_ok(pq, mem, sizeof(mem), NULL), 4096);
	mem[0] = BPF_RB_AVAIL_DATA;
	/* run_ok ran the output twice: 2 x (8-byte header + 8) */
	assert_int_equal(run_ok(pq, mem, sizeof(mem), NULL), 32);
	assert_int_equal(run_ok(pf, NULL, 0, NULL), 0);             /* flags: NULL */
	assert_int_equal(uebpf_ringbuf_consume(map, on_sample, &seen, NULL), 2);
	assert_int_equal(seen.values[0], 77);
	assert_int_equal(seen.values[1], 77);
	assert_int_equal(run_prog(ps, true, NULL, 0, NULL, &r0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a ring buffer sample"));
	uebpf_prog_destroy(po);
	uebpf_prog_destroy(pq);
	uebpf_prog_destroy(pf);
	uebpf_prog_destroy(ps);
	uebpf_map_destroy(map);
}

/* --------------------------------------------------------------- perf */

static int perf_samples;

static void on_perf(void *ctx, unsigned cpu, const void *data, size_t size)
{
	(void)ctx, (void)cpu;
	assert_int_equal(size, 8);
	assert_int_equal(*(const uint64_t *)data, 0x1234);
	perf_samples++;
}

static void test_perf_event_output(void **state)
{
	struct uebpf_map *map = make_map("pe", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 4, 4,
					 uebpf_map_nr_cpus());
	const struct bpf_insn insns[] = {
		MOV64_REG(7, 1), LDX(BPF_DW, 3, 7, 0),
		ST(BPF_DW, 10, -8, 0x1234),
		MOV64_IMM(1, 0), LD_MAP(2, 0),
		MOV64_REG(4, 10), ADD64_IMM(4, -8), MOV64_IMM(5, 8),
		CALL(BPF_FUNC_perf_event_output), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, &map, 1);
	uint64_t flags[1] = { BPF_F_CURRENT_CPU };

	(void)state;
	assert_int_equal(run_ok(prog, flags, 8, NULL), 0);
	flags[0] = 0;
	assert_int_equal(run_checked(prog, flags, 8, NULL), 0);
	flags[0] = 1ull << 40;   /* bits beyond the index */
	assert_int_equal((int64_t)run_checked(prog, flags, 8, NULL), -EINVAL);
	flags[0] = 100000;       /* index beyond max_entries */
	assert_int_equal((int64_t)run_checked(prog, flags, 8, NULL), -E2BIG);
	assert_int_equal(uebpf_perf_buffer_consume(map, on_perf, NULL, NULL, NULL), 3);
	assert_int_equal(perf_samples, 3);
	uebpf_prog_destroy(prog);
	uebpf_map_destroy(map);
}

/* ---------------------------------------------------------- spin lock */

#define THREADS 4
#define RUNS 3000

struct lock_arg {
	struct uebpf_prog *prog;
	int failures;
};

static void *lock_thread(void *p)
{
	struct lock_arg *a = p;
	int i;

	for (i = 0; i < RUNS; i++) {
		uint64_t r0 = 1;

		if (uebpf_prog_run(a->prog, &(struct uebpf_run_opts){ .sz = sizeof(struct uebpf_run_opts),
					.engine = UEBPF_ENGINE_INTERP }, &r0, NULL) || r0)
			a->failures++;
	}
	return NULL;
}

static void test_spin_lock_threads(void **state)
{
	/* value = { struct bpf_spin_lock lock; u32 pad; u64 counter } */
	struct uebpf_map *map = make_map("lk", BPF_MAP_TYPE_ARRAY, 4, 16, 1);
	const struct bpf_insn insns[] = {
		ST(BPF_W, 10, -8, 0), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(BPF_FUNC_map_lookup_elem), JMP_IMM(BPF_JNE, 0, 0, 2), MOV64_IMM(0, 1), EXIT(),
		MOV64_REG(6, 0), MOV64_REG(1, 6), CALL(BPF_FUNC_spin_lock),
		/* a non-atomic read-modify-write, spread out */
		LDX(BPF_DW, 1, 6, 8), ADD64_IMM(1, 1), MOV64_REG(2, 1), MOV64_REG(3, 2),
		STX(BPF_DW, 6, 3, 8),
		MOV64_REG(1, 6), CALL(BPF_FUNC_spin_unlock), MOV64_IMM(0, 0), EXIT(),
	};
	const struct bpf_insn twice[] = {
		ST(BPF_W, 10, -8, 0), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(BPF_FUNC_map_lookup_elem), JMP_IMM(BPF_JNE, 0, 0, 1), EXIT(),
		MOV64_REG(6, 0), MOV64_REG(1, 6), CALL(BPF_FUNC_spin_lock),
		MOV64_REG(1, 6), CALL(BPF_FUNC_spin_lock), EXIT(),
	};
	const struct bpf_insn held[] = {
		ST(BPF_W, 10, -8, 0), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -8),
		CALL(BPF_FUNC_map_lookup_elem), JMP_IMM(BPF_JNE, 0, 0, 1), EXIT(),
		MOV64_REG(1, 0), CALL(BPF_FUNC_spin_lock), MOV64_IMM(0, 0), EXIT(),
	};
	struct uebpf_prog *prog = load_prog(insns, N(insns), set, &map, 1);
	struct uebpf_prog *ptwice = load_prog(twice, N(twice), set, &map, 1);
	struct uebpf_prog *pheld = load_prog(held, N(held), set, &map, 1);
	struct lock_arg args[THREADS];
	pthread_t th[THREADS];
	uint8_t value[16];
	uint32_t key = 0;
	uint64_t counter, r0;
	struct uebpf_error err = { 0 };
	int i;

	(void)state;
	for (i = 0; i < THREADS; i++) {
		args[i] = (struct lock_arg){ prog, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, lock_thread, &args[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(args[i].failures, 0);
	}
	assert_int_equal(uebpf_map_lookup(map, &key, value, NULL), 0);
	memcpy(&counter, value + 8, 8);
	assert_int_equal(counter, THREADS * RUNS);
	/* checked runs: a second lock is refused, a held lock is released */
	assert_int_equal(run_prog(ptwice, true, NULL, 0, NULL, &r0, &err), -EDEADLK);
	assert_int_equal(run_checked(pheld, NULL, 0, NULL), 0);
	assert_int_equal(run_checked(prog, NULL, 0, NULL), 0);   /* would hang otherwise */
	uebpf_prog_destroy(prog);
	uebpf_prog_destroy(ptwice);
	uebpf_prog_destroy(pheld);
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
		cmocka_unit_test(test_ringbuf_reserve_submit_discard),
		cmocka_unit_test(test_ringbuf_output_query_errors),
		cmocka_unit_test(test_perf_event_output),
		cmocka_unit_test(test_spin_lock_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
