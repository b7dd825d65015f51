/* SPDX-License-Identifier: MIT */
/* hash and percpu_hash: flags, full maps, iteration, per-CPU values,
 * threads, another process. */
#include "test_map_util.h"

#include <pthread.h>

static void test_hash_semantics(void **state)
{
	struct uebpf_map *m = new_map("h", BPF_MAP_TYPE_HASH, 8, 16, 4, 0);
	struct uebpf_error err = { 0 };
	uint64_t k, v[2], out[2];

	(void)state;
	k = 1;
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), -ENOENT);
	assert_null(map_lookup_elem(m, &k));
	v[0] = 10, v[1] = 11;
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_EXIST, &err), -ENOENT);
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_NOEXIST, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_NOEXIST, &err), -EEXIST);
	v[0] = 20;
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_EXIST, &err), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	assert_int_equal(out[0], 20);
	assert_int_equal(out[1], 11);
	assert_int_equal(uebpf_map_update(m, &k, v, 3, &err), -EINVAL);

	/* Fill it: the fifth key does not fit, replacing existing keys does. */
	for (k = 2; k <= 4; k++)
		assert_int_equal(uebpf_map_update(m, &k, v, BPF_ANY, &err), 0);
	k = 5;
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_ANY, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "is full (max_entries 4)"));
	k = 3;
	v[0] = 33;
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), -ENOENT);
	k = 5;
	assert_int_equal(uebpf_map_update(m, &k, v, BPF_ANY, &err), 0);

	/* lookup-and-delete */
	assert_int_equal(uebpf_map_lookup_and_delete(m, &k, out, &err), 0);
	assert_int_equal(out[0], 33);
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), -ENOENT);

	/* Program view: pointer into the element; writes are visible. */
	k = 4;
	uint64_t *p = map_lookup_elem(m, &k);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 8, 0);
	p[1] = 99;
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	assert_int_equal(out[1], 99);
	assert_int_equal(map_update_elem(m, &k, v, BPF_NOEXIST), -EEXIST);
	assert_int_equal(map_delete_elem(m, &k), 0);
	assert_int_equal(map_delete_elem(m, &k), -ENOENT);
	uebpf_map_destroy(m);
}

static void test_hash_iteration(void **state)
{
	struct uebpf_map *m = new_map("it", BPF_MAP_TYPE_HASH, 4, 4, 1000, BPF_F_NO_PREALLOC);
	struct uebpf_error err = { 0 };
	static uint8_t seen[1000];
	uint32_t k, next, *prev = NULL, count = 0;

	(void)state;
	assert_int_equal(uebpf_map_get_next_key(m, NULL, &next, &err), -ENOENT);
	for (k = 0; k < 1000; k += 2)
		assert_int_equal(uebpf_map_update(m, &k, &k, BPF_ANY, &err), 0);
	memset(seen, 0, sizeof(seen));
	while (uebpf_map_get_next_key(m, prev, &next, &err) == 0) {
		assert_true(next < 1000 && next % 2 == 0);
		assert_int_equal(seen[next], 0);
		seen[next] = 1;
		count++;
		k = next;
		prev = &k;
	}
	assert_int_equal(count, 500);
	/* A key that is not there restarts the walk (kernel behaviour). */
	k = 1;
	assert_int_equal(uebpf_map_get_next_key(m, &k, &next, &err), 0);
	assert_true(next % 2 == 0);
	/* Deleting while iterating (the usual dump-and-clear loop) empties it. */
	while (uebpf_map_get_next_key(m, NULL, &next, &err) == 0)
		assert_int_equal(uebpf_map_delete(m, &next, &err), 0);
	for (k = 0; k < 1000; k++)
		assert_int_equal(uebpf_map_update(m, &k, &k, BPF_NOEXIST, &err), 0);
	uebpf_map_destroy(m);
}

static void test_hash_spec_checks(void **state)
{
	struct uebpf_map_spec s = map_spec("h", BPF_MAP_TYPE_HASH, 0, 4, 4, 0);

	(void)state;
	expect_create_error(&s, -EINVAL, "key_size 0 out of range 1..512");
	s.key_size = 513;
	expect_create_error(&s, -E2BIG, "key_size 513");
	s = map_spec("h", BPF_MAP_TYPE_HASH, 4, 0, 4, 0);
	expect_create_error(&s, -EINVAL, "value_size 0");
	s = map_spec("h", BPF_MAP_TYPE_HASH, 4, 4, 0, 0);
	expect_create_error(&s, -EINVAL, "max_entries");
	s = map_spec("h", BPF_MAP_TYPE_HASH, 4, 4, 4, BPF_F_NO_COMMON_LRU);
	expect_create_error(&s, -EINVAL, "not allowed for hash");
}

static void test_percpu_hash(void **state)
{
	unsigned n = uebpf_map_nr_cpus();
	struct uebpf_map *m = new_map("pch", BPF_MAP_TYPE_PERCPU_HASH, 4, 8, 8, 0);
	struct uebpf_error err = { 0 };
	uint64_t *vals = calloc(n, 8), *out = calloc(n, 8), one = 1;
	uint32_t k = 42, nonzero = 0;

	(void)state;
	for (unsigned c = 0; c < n; c++)
		vals[c] = 1000 + c;
	assert_int_equal(uebpf_map_update(m, &k, vals, BPF_NOEXIST, &err), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	assert_memory_equal(out, vals, 8 * n);
	for (unsigned c = 0; c < n; c++)
		assert_int_equal(*(uint64_t *)map_lookup_percpu_elem(m, &k, c), 1000 + c);

	/* A program inserting a new key sets its slot; the others read 0. */
	k = 43;
	assert_int_equal(map_update_elem(m, &k, &one, BPF_ANY), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, out, &err), 0);
	for (unsigned c = 0; c < n; c++) {
		assert_true(out[c] == 0 || out[c] == 1);
		nonzero += out[c] != 0;
	}
	assert_int_equal(nonzero, 1);
	free(vals);
	free(out);
	uebpf_map_destroy(m);
}

struct worker {
	struct uebpf_map *map;
	int id;
	int errors;
};

/* Lookup-or-insert then atomic add, as a BPF counter program does. */
static void *count_shared_keys(void *p)
{
	struct worker *w = p;
	uint64_t zero = 0;

	for (int i = 0; i < 100000; i++) {
		uint32_t k = (uint32_t)i % 16;
		uint64_t *v = map_lookup_elem(w->map, &k);

		if (!v) {
			long r = map_update_elem(w->map, &k, &zero, BPF_NOEXIST);

			if (r && r != -EEXIST)
				w->errors++;
			v = map_lookup_elem(w->map, &k);
		}
		if (!v)
			w->errors++;
		else
			__atomic_fetch_add(v, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_hash_threads_shared_keys(void **state)
{
	struct uebpf_map *m = new_map("shared", BPF_MAP_TYPE_HASH, 4, 8, 64, 0);
	struct worker w[4];
	pthread_t t[4];
	uint64_t total = 0, v;

	(void)state;
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .map = m, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, count_shared_keys, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	for (uint32_t k = 0; k < 16; k++) {
		assert_int_equal(uebpf_map_lookup(m, &k, &v, NULL), 0);
		assert_int_equal(v, 25000);
		total += v;
	}
	assert_int_equal(total, 400000);
	uebpf_map_destroy(m);
}

/* Each thread owns a key range and inserts/deletes in it over and over,
 * racing the others on buckets and the free list. */
static void *churn(void *p)
{
	struct worker *w = p;

	for (int round = 0; round < 200; round++) {
		for (uint32_t i = 0; i < 250; i++) {
			uint32_t k = (uint32_t)w->id * 1000 + i;
			uint64_t v = k;

			if (map_update_elem(w->map, &k, &v, BPF_NOEXIST))
				w->errors++;
		}
		for (uint32_t i = 0; i < 250; i++) {
			uint32_t k = (uint32_t)w->id * 1000 + i;
			uint64_t *v = map_lookup_elem(w->map, &k);

			if (!v || *v != k)
				w->errors++;
			if (round != 199 && map_delete_elem(w->map, &k))
				w->errors++;
		}
	}
	return NULL;
}

static void test_hash_threads_churn(void **state)
{
	struct uebpf_map *m = new_map("churn", BPF_MAP_TYPE_HASH, 4, 8, 1000, 0);
	struct worker w[4];
	pthread_t t[4];
	uint32_t k, next, *prev = NULL, count = 0;

	(void)state;
	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ .map = m, .id = i };
		assert_int_equal(pthread_create(&t[i], NULL, churn, &w[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(w[i].errors, 0);
	}
	while (uebpf_map_get_next_key(m, prev, &next, NULL) == 0) {
		count++;
		k = next;
		prev = &k;
	}
	assert_int_equal(count, 1000);
	uebpf_map_destroy(m);
}

static int child_fills(void *dir)
{
	struct uebpf_map *m;

	if (uebpf_map_open(dir, "xproc", &m, NULL))
		return 1;
	for (uint32_t k = 0; k < 1000; k++) {
		uint64_t v = (uint64_t)k * k;

		if (uebpf_map_update(m, &k, &v, BPF_NOEXIST, NULL))
			return 2;
	}
	uint32_t first = 0;

	if (uebpf_map_delete(m, &first, NULL))
		return 3;
	uebpf_map_destroy(m);
	return 0;
}

static void test_hash_cross_process(void **state)
{
	struct uebpf_map_spec s = map_spec("xproc", BPF_MAP_TYPE_HASH, 4, 8, 1000, 0);
	struct uebpf_map *m;
	char dir[64];
	uint64_t v;

	(void)state;
	make_pin_dir(dir, sizeof(dir));
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &m, NULL), 0);
	assert_int_equal(run_in_child(child_fills, dir), 0);
	for (uint32_t k = 1; k < 1000; k++) {
		assert_int_equal(uebpf_map_lookup(m, &k, &v, NULL), 0);
		assert_int_equal(v, (uint64_t)k * k);
	}
	uint32_t k = 0;
	assert_int_equal(uebpf_map_lookup(m, &k, &v, NULL), -ENOENT);
	/* The child's deletion freed a slot this process can use. */
	k = 5000;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, NULL), 0);
	k = 5001;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, NULL), -E2BIG);
	uebpf_map_destroy(m);
	rm_pin_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_semantics),
		cmocka_unit_test(test_hash_iteration),
		cmocka_unit_test(test_hash_spec_checks),
		cmocka_unit_test(test_percpu_hash),
		cmocka_unit_test(test_hash_threads_shared_keys),
		cmocka_unit_test(test_hash_threads_churn),
		cmocka_unit_test(test_hash_cross_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
