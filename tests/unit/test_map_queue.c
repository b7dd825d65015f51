/* SPDX-License-Identifier: MIT */
/* queue and stack: order, full, BPF_EXIST overwrite, program side. */
#include "test_map_util.h"

#include <pthread.h>

static void test_queue_fifo(void **state)
{
	struct uebpf_map *q = new_map("q", BPF_MAP_TYPE_QUEUE, 0, 4, 3, 0);
	struct uebpf_error err = { 0 };
	uint32_t v;

	(void)state;
	assert_int_equal(uebpf_map_pop(q, &v, &err), -ENOENT);
	assert_int_equal(uebpf_map_peek(q, &v, &err), -ENOENT);
	for (v = 1; v <= 3; v++)
		assert_int_equal(uebpf_map_push(q, &v, BPF_ANY, &err), 0);
	v = 4;
	assert_int_equal(uebpf_map_push(q, &v, BPF_ANY, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "BPF_EXIST"));
	assert_int_equal(uebpf_map_push(q, &v, BPF_NOEXIST, &err), -EINVAL);
	assert_int_equal(uebpf_map_peek(q, &v, &err), 0);
	assert_int_equal(v, 1);
	/* Full + BPF_EXIST: the oldest (1) goes. */
	v = 4;
	assert_int_equal(uebpf_map_push(q, &v, BPF_EXIST, &err), 0);
	for (uint32_t want = 2; want <= 4; want++) {
		assert_int_equal(uebpf_map_pop(q, &v, &err), 0);
		assert_int_equal(v, want);
	}
	assert_int_equal(uebpf_map_pop(q, &v, &err), -ENOENT);

	/* The generic calls map onto push/peek/pop, as bpf(2) does. */
	v = 7;
	assert_int_equal(uebpf_map_update(q, NULL, &v, BPF_ANY, &err), 0);
	v = 0;
	assert_int_equal(uebpf_map_lookup(q, NULL, &v, &err), 0);
	assert_int_equal(v, 7);
	assert_int_equal(uebpf_map_lookup_and_delete(q, NULL, &v, &err), 0);
	assert_int_equal(v, 7);
	assert_int_equal(uebpf_map_lookup_and_delete(q, NULL, &v, &err), -ENOENT);
	assert_int_equal(uebpf_map_delete(q, &v, &err), -EOPNOTSUPP);
	assert_int_equal(uebpf_map_get_next_key(q, NULL, &v, &err), -EOPNOTSUPP);

	/* Program side. */
	v = 11;
	assert_int_equal(map_push_elem(q, &v, BPF_ANY), 0);
	v = 12;
	assert_int_equal(map_update_elem(q, NULL, &v, BPF_ANY), 0);
	assert_int_equal(map_peek_elem(q, &v), 0);
	assert_int_equal(v, 11);
	assert_int_equal(map_pop_elem(q, &v), 0);
	assert_int_equal(v, 11);
	assert_int_equal(map_pop_elem(q, &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(map_pop_elem(q, &v), -ENOENT);
	assert_null(map_lookup_elem(q, NULL));
	uebpf_map_destroy(q);
}

static void test_stack_lifo(void **state)
{
	struct uebpf_map *s = new_map("s", BPF_MAP_TYPE_STACK, 0, 8, 3, 0);
	uint64_t v;

	(void)state;
	for (v = 1; v <= 3; v++)
		assert_int_equal(uebpf_map_push(s, &v, BPF_ANY, NULL), 0);
	assert_int_equal(uebpf_map_push(s, &v, BPF_ANY, NULL), -E2BIG);
	assert_int_equal(uebpf_map_peek(s, &v, NULL), 0);
	assert_int_equal(v, 3);
	/* Full + BPF_EXIST drops the oldest (1), as the kernel's stack. */
	v = 4;
	assert_int_equal(uebpf_map_push(s, &v, BPF_EXIST, NULL), 0);
	for (uint64_t want = 4; want >= 2; want--) {
		assert_int_equal(uebpf_map_pop(s, &v, NULL), 0);
		assert_int_equal(v, want);
	}
	assert_int_equal(uebpf_map_pop(s, &v, NULL), -ENOENT);
	/* Wrap around many times. */
	for (uint64_t i = 0; i < 100; i++) {
		assert_int_equal(uebpf_map_push(s, &i, BPF_ANY, NULL), 0);
		assert_int_equal(uebpf_map_push(s, &i, BPF_ANY, NULL), 0);
		assert_int_equal(uebpf_map_pop(s, &v, NULL), 0);
		assert_int_equal(v, i);
		assert_int_equal(uebpf_map_pop(s, &v, NULL), 0);
		assert_int_equal(v, i);
	}
	uebpf_map_destroy(s);
}

static void test_queue_spec_checks(void **state)
{
	struct uebpf_map_spec s = map_spec("q", BPF_MAP_TYPE_QUEUE, 4, 4, 4, 0);

	(void)state;
	expect_create_error(&s, -EINVAL, "key_size must be 0");
	s = map_spec("q", BPF_MAP_TYPE_STACK, 0, 0, 4, 0);
	expect_create_error(&s, -EINVAL, "value_size 0");
	s = map_spec("q", BPF_MAP_TYPE_QUEUE, 0, 4, 0, 0);
	expect_create_error(&s, -EINVAL, "max_entries");
}

struct mover {
	struct uebpf_map *q;
	uint64_t sum;
	int pushed;
};

static void *producer(void *p)
{
	struct mover *m = p;

	for (uint64_t i = 1; i <= 20000; i++)
		while (map_push_elem(m->q, &i, BPF_ANY) == -E2BIG)
			sched_yield();
	return NULL;
}

static void *consumer(void *p)
{
	struct mover *m = p;
	uint64_t v;

	for (int got = 0; got < 20000;) {
		if (map_pop_elem(m->q, &v) == 0) {
			m->sum += v;
			got++;
		} else {
			sched_yield();
		}
	}
	return NULL;
}

static void test_queue_threads(void **state)
{
	struct uebpf_map *q = new_map("qt", BPF_MAP_TYPE_QUEUE, 0, 8, 64, 0);
	struct mover prod[2] = { { .q = q }, { .q = q } }, cons[2] = { { .q = q }, { .q = q } };
	pthread_t t[4];

	(void)state;
	pthread_create(&t[0], NULL, producer, &prod[0]);
	pthread_create(&t[1], NULL, producer, &prod[1]);
	pthread_create(&t[2], NULL, consumer, &cons[0]);
	pthread_create(&t[3], NULL, consumer, &cons[1]);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	/* Nothing lost, nothing duplicated. */
	assert_int_equal(cons[0].sum + cons[1].sum, 2ull * 20000 * 20001 / 2);
	uebpf_map_destroy(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_fifo),
		cmocka_unit_test(test_stack_lifo),
		cmocka_unit_test(test_queue_spec_checks),
		cmocka_unit_test(test_queue_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
