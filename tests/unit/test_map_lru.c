/* SPDX-License-Identifier: MIT */
/* lru_hash and lru_percpu_hash: eviction instead of -E2BIG, second chance
 * for looked-up keys, threads. */
#include "test_map_util.h"

#include <pthread.h>

static uint32_t count_keys(struct uebpf_map *m)
{
	uint32_t k, next, *prev = NULL, n = 0;

	while (uebpf_map_get_next_key(m, prev, &next, NULL) == 0) {
		n++;
		k = next;
		prev = &k;
		if (n > uebpf_map_max_entries(m) + 1)
			break;
	}
	return n;
}

static void test_lru_evicts_least_recent(void **state)
{
	struct uebpf_map *m = new_map("lru", BPF_MAP_TYPE_LRU_HASH, 4, 8, 4, 0);
	struct uebpf_error err = { 0 };
	uint64_t v = 0;
	uint32_t k;

	(void)state;
	for (k = 1; k <= 4; k++)
		assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	/* A program used key 1: it gets a second chance; key 2 is now the
	 * least recently used. */
	k = 1;
	assert_non_null(map_lookup_elem(m, &k));
	k = 5;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	assert_int_equal(count_keys(m), 4);
	k = 2;
	assert_int_equal(uebpf_map_lookup(m, &k, &v, &err), -ENOENT);
	for (k = 1; k <= 5; k++)
		if (k != 2)
			assert_int_equal(uebpf_map_lookup(m, &k, &v, &err), 0);
	/* Updating an existing key of a full map evicts nothing. */
	k = 3;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_EXIST, &err), 0);
	assert_int_equal(count_keys(m), 4);
	k = 2;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_EXIST, &err), -ENOENT);
	uebpf_map_destroy(m);
}

static void test_lru_never_full(void **state)
{
	struct uebpf_map *m = new_map("lru_big", BPF_MAP_TYPE_LRU_HASH, 4, 4, 100, 0);
	struct uebpf_error err = { 0 };
	uint32_t k, v;

	(void)state;
	for (k = 0; k < 10000; k++)
		assert_int_equal(uebpf_map_update(m, &k, &k, BPF_ANY, &err), 0);
	assert_int_equal(count_keys(m), 100);
	/* The newest keys survive. */
	for (k = 9990; k < 10000; k++) {
		assert_int_equal(uebpf_map_lookup(m, &k, &v, &err), 0);
		assert_int_equal(v, k);
	}
	k = 9999;
	assert_int_equal(uebpf_map_delete(m, &k, &err), 0);
	assert_int_equal(count_keys(m), 99);
	uebpf_map_destroy(m);
}

static void test_lru_percpu(void **state)
{
	unsigned n = uebpf_map_nr_cpus();
	struct uebpf_map *m = new_map("lrupc", BPF_MAP_TYPE_LRU_PERCPU_HASH, 4, 8, 2, 0);
	uint64_t *vals = calloc(n, 8), *out = calloc(n, 8);
	uint32_t k;

	(void)state;
	for (unsigned c = 0; c < n; c++)
		vals[c] = c + 1;
	for (k = 0; k < 3; k++)
		assert_int_equal(uebpf_map_update(m, &k, vals, BPF_ANY, NULL), 0);
	assert_int_equal(count_keys(m), 2);
	k = 2;
	assert_int_equal(uebpf_map_lookup(m, &k, out, NULL), 0);
	assert_memory_equal(out, vals, 8 * n);
	free(vals);
	free(out);
	uebpf_map_destroy(m);
}

static void test_lru_spec_checks(void **state)
{
	struct uebpf_map_spec s = map_spec("l", BPF_MAP_TYPE_LRU_HASH, 4, 4, 4, BPF_F_NO_PREALLOC);

	(void)state;
	expect_create_error(&s, -EINVAL, "not allowed for lru_hash");
	/* Accepted, with one common list all the same (see docs/maps.md). */
	uebpf_map_destroy(new_map("l", BPF_MAP_TYPE_LRU_HASH, 4, 4, 4, BPF_F_NO_COMMON_LRU));
}

struct worker {
	struct uebpf_map *map;
	int id;
	int errors;
};

static void *insert_many(void *p)
{
	struct worker *w = p;
	uint32_t seed = (uint32_t)w->id * 7919u + 1;

	for (int i = 0; i < 50000; i++) {
		uint32_t k;
		uint64_t v = (uint64_t)i;

		seed = seed * 1103515245u + 12345u;
		k = seed % 5000;
		if (map_update_elem(w->map, &k, &v, BPF_ANY))
			w->errors++;
		if (i % 3 == 0)
			(void)map_lookup_elem(w->map, &k);
		if (i % 7 == 0)
			(void)map_delete_elem(w->map, &k);
	}
	return NULL;
}

static void test_lru_threads(void **state)
{
	struct uebpf_map *m = new_map("lru_mt", BPF_MAP_TYPE_LRU_HASH, 4, 8, 64, 0);
	struct worker w[4];
	pthread_t t[4];
	uint32_t n;

	(void)state;
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .map = m, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, insert_many, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	n = count_keys(m);
	assert_true(n > 0 && n <= 64);
	/* Still consistent: refills to exactly max_entries. */
	for (uint32_t k = 100000; k < 100200; k++) {
		uint64_t v = k;

		assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, NULL), 0);
	}
	assert_int_equal(count_keys(m), 64);
	uebpf_map_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru_evicts_least_recent),
		cmocka_unit_test(test_lru_never_full),
		cmocka_unit_test(test_lru_percpu),
		cmocka_unit_test(test_lru_spec_checks),
		cmocka_unit_test(test_lru_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
