/* SPDX-License-Identifier: MIT */
/* array and percpu_array: kernel semantics, per-CPU slots, threads. */
#include "test_map_util.h"

#include <pthread.h>
#include <sched.h>

static void test_array_semantics(void **state)
{
	struct uebpf_map *m = new_map("arr", BPF_MAP_TYPE_ARRAY, 4, 12, 3, 0);
	struct uebpf_error err = { 0 };
	uint8_t v[12], zero[12] = { 0 }, out[12];
	uint32_t k, next;

	(void)state;
	for (k = 0; k < 3; k++) {
		assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
		assert_memory_equal(out, zero, 12);
	}
	memset(v, 0xab, sizeof(v));
	k = 2;
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_EXIST, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_NOEXIST, &err), -EEXIST);
	assert_int_equal(uebpf_map_update(m, &k, v, 7, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "BPF_ANY"));
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_F_LOCK, &err), -EOPNOTSUPP);
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	assert_memory_equal(out, v, 12);
	k = 3;
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_ANY, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "index 3 out of range (max_entries 3)"));
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), -ENOENT);
	assert_null(map_lookup_elem(m, &k));
	k = 0;
	assert_int_equal(uebpf_map_delete(m, &k, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "cannot be deleted"));

	/* Program view: a pointer into the same storage, 8-byte aligned. */
	k = 2;
	uint8_t *p = map_lookup_elem(m, &k);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 8, 0);
	assert_memory_equal(p, v, 12);
	p[0] = 1;
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	assert_int_equal(out[0], 1);
	assert_int_equal(map_update_elem(m, &k, zero, BPF_ANY), 0);
	assert_int_equal(p[0], 0);
	assert_int_equal(map_delete_elem(m, &k), -EINVAL);

	/* Iteration: 0, 1, 2, then -ENOENT; unknown keys restart at 0. */
	assert_int_equal(uebpf_map_get_next_key(m, NULL, &next, &err), 0);
	assert_int_equal(next, 0);
	k = 0;
	assert_int_equal(uebpf_map_get_next_key(m, &k, &next, &err), 0);
	assert_int_equal(next, 1);
	k = 2;
	assert_int_equal(uebpf_map_get_next_key(m, &k, &next, &err), -ENOENT);
	k = 99;
	assert_int_equal(uebpf_map_get_next_key(m, &k, &next, &err), 0);
	assert_int_equal(next, 0);
	uebpf_map_destroy(m);
}

static void test_array_spec_checks(void **state)
{
	struct uebpf_map_spec s = map_spec("a", BPF_MAP_TYPE_ARRAY, 8, 4, 4, 0);

	(void)state;
	expect_create_error(&s, -EINVAL, "key_size must be 4");
	s = map_spec("a", BPF_MAP_TYPE_ARRAY, 4, 0, 4, 0);
	expect_create_error(&s, -EINVAL, "value_size must be at least 1");
	s = map_spec("a", BPF_MAP_TYPE_ARRAY, 4, 4, 0, 0);
	expect_create_error(&s, -EINVAL, "max_entries must be at least 1");
	s = map_spec("a", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 40000, 1, 0);
	expect_create_error(&s, -E2BIG, "per-CPU limit");
	s = map_spec("a", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 1, BPF_F_MMAPABLE);
	expect_create_error(&s, -EINVAL, "not allowed for percpu_array");
	uebpf_map_destroy(new_map("mm", BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_MMAPABLE));
}

static int elem_count(struct uebpf_map *map, const void *key, void *value, void *ctx)
{
	(void)map;
	(void)value;
	++*(int *)ctx;
	return *(const uint32_t *)key == 4; /* stop after index 4 */
}

static void test_array_for_each_and_regions(void **state)
{
	struct uebpf_map *m = new_map("fe", BPF_MAP_TYPE_ARRAY, 4, 8, 10, 0);
	struct uebpf_region r[2];
	uint32_t k = 9;
	int calls = 0;

	(void)state;
	assert_int_equal(map_for_each_elem(m, elem_count, &calls), 5);
	assert_int_equal(calls, 5);
	assert_int_equal(map_value_regions(m, r, 2), 1);
	assert_true(r[0].writable);
	uint8_t *p = map_lookup_elem(m, &k);
	assert_true(p >= (uint8_t *)r[0].addr && p + 8 <= (uint8_t *)r[0].addr + r[0].len);
	uebpf_map_destroy(m);
}

static void test_percpu_array(void **state)
{
	unsigned n = uebpf_map_nr_cpus();
	struct uebpf_map *m = new_map("pca", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 4, 2, 0);
	struct uebpf_error err = { 0 };
	size_t host = uebpf_map_host_value_size(m);
	uint8_t *in = calloc(1, host), *out = calloc(1, host);
	uint32_t k = 1, v;

	(void)state;
	assert_int_equal(host, 8 * n); /* 4-byte values, each slot rounded up to 8 */
	for (unsigned c = 0; c < n; c++) {
		v = 100 + c;
		memcpy(in + 8 * c, &v, 4);
	}
	assert_int_equal(uebpf_map_update(m, &k, in, BPF_ANY, &err), 0);
	memset(out, 0xff, host);
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	for (unsigned c = 0; c < n; c++) {
		memcpy(&v, out + 8 * c, 4);
		assert_int_equal(v, 100 + c);
		/* Padding comes back zeroed, as the kernel's. */
		assert_int_equal(out[8 * c + 4] | out[8 * c + 7], 0);
		assert_int_equal(*(uint32_t *)map_lookup_percpu_elem(m, &k, c), 100 + c);
	}
	assert_null(map_lookup_percpu_elem(m, &k, n));

	/* A program's update touches its own slot only. */
	v = 7;
	assert_int_equal(map_update_elem(m, &k, &v, BPF_ANY), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	int sevens = 0;
	for (unsigned c = 0; c < n; c++) {
		memcpy(&v, out + 8 * c, 4);
		sevens += v == 7;
	}
	assert_int_equal(sevens, 1);
	free(in);
	free(out);
	uebpf_map_destroy(m);
}

struct hammer {
	struct uebpf_map *map;
	int iterations;
};

static void *hammer_atomic_adds(void *p)
{
	struct hammer *h = p;

	for (int i = 0; i < h->iterations; i++) {
		uint32_t k = (uint32_t)i % 4;
		uint64_t *v = map_lookup_elem(h->map, &k);

		__atomic_fetch_add(v, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_array_threads(void **state)
{
	struct uebpf_map *m = new_map("hammer", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	struct hammer h = { .map = m, .iterations = 100000 };
	pthread_t t[4];
	uint64_t total = 0, v;

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer_atomic_adds, &h), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (uint32_t k = 0; k < 4; k++) {
		assert_int_equal(uebpf_map_lookup(m, &k, &v, NULL), 0);
		assert_int_equal(v, 100000);
		total += v;
	}
	assert_int_equal(total, 400000);
	uebpf_map_destroy(m);
}

/* Per-CPU counters summed over slots are exact too (threads may share a
 * slot when they run on the same CPU, hence atomics). */
static void test_percpu_threads(void **state)
{
	struct uebpf_map *m = new_map("pc_hammer", BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 4, 0);
	struct hammer h = { .map = m, .iterations = 100000 };
	size_t host = uebpf_map_host_value_size(m);
	uint64_t *out = calloc(1, host), total = 0;
	pthread_t t[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, hammer_atomic_adds, &h), 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (uint32_t k = 0; k < 4; k++) {
		assert_int_equal(uebpf_map_lookup(m, &k, out, NULL), 0);
		for (unsigned c = 0; c < uebpf_map_nr_cpus(); c++)
			total += out[c];
	}
	assert_int_equal(total, 400000);
	free(out);
	uebpf_map_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array_semantics),
		cmocka_unit_test(test_array_spec_checks),
		cmocka_unit_test(test_array_for_each_and_regions),
		cmocka_unit_test(test_percpu_array),
		cmocka_unit_test(test_array_threads),
		cmocka_unit_test(test_percpu_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
