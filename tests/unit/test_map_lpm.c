/* SPDX-License-Identifier: MIT */
/* lpm_trie: longest-prefix match, flags, deletion, iteration, and a
 * randomised comparison with a brute-force matcher. */
#include "test_map_util.h"

struct v4_key {
	uint32_t prefixlen;
	uint8_t addr[4];
};

static struct v4_key v4(uint32_t prefixlen, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	struct v4_key k = { prefixlen, { a, b, c, d } };
	return k;
}

static struct uebpf_map *new_trie(const char *name, uint32_t max)
{
	return new_map(name, BPF_MAP_TYPE_LPM_TRIE, sizeof(struct v4_key), 4, max, BPF_F_NO_PREALLOC);
}

static int lookup(struct uebpf_map *m, uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint32_t *v)
{
	struct v4_key k = v4(32, a, b, c, d);

	return uebpf_map_lookup(m, &k, v, NULL);
}

static void test_lpm_longest_match(void **state)
{
	struct uebpf_map *m = new_trie("routes", 16);
	struct uebpf_error err = { 0 };
	struct v4_key k;
	uint32_t v;

	(void)state;
	k = v4(8, 10, 0, 0, 0), v = 1;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	k = v4(16, 10, 1, 0, 0), v = 2;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	k = v4(24, 10, 1, 1, 0), v = 3;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	k = v4(24, 10, 1, 2, 0), v = 4;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	k = v4(32, 192, 168, 0, 1), v = 5;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);

	assert_int_equal(lookup(m, 10, 1, 1, 5, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(lookup(m, 10, 1, 2, 200, &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(lookup(m, 10, 1, 3, 3, &v), 0);
	assert_int_equal(v, 2);
	assert_int_equal(lookup(m, 10, 200, 0, 0, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(lookup(m, 192, 168, 0, 1, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(lookup(m, 192, 168, 0, 2, &v), -ENOENT);
	assert_int_equal(lookup(m, 11, 0, 0, 0, &v), -ENOENT);

	/* A default route catches the rest. */
	k = v4(0, 0, 0, 0, 0), v = 9;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(lookup(m, 11, 0, 0, 0, &v), 0);
	assert_int_equal(v, 9);

	/* Program view: pointer to the value of the longest match. */
	k = v4(32, 10, 1, 1, 1);
	uint32_t *p = map_lookup_elem(m, &k);
	assert_non_null(p);
	assert_int_equal(*p, 3);

	/* Deleting the /16 makes 10.1.3.3 fall back to the /8. */
	k = v4(16, 10, 1, 0, 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), -ENOENT);
	assert_int_equal(lookup(m, 10, 1, 3, 3, &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(lookup(m, 10, 1, 2, 3, &v), 0);
	assert_int_equal(v, 4);
	/* An intermediate node (10.1.0.0/22 joins the two /24) is no entry. */
	k = v4(22, 10, 1, 0, 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), -ENOENT);
	uebpf_map_destroy(m);
}

static void test_lpm_flags_and_limits(void **state)
{
	struct uebpf_map *m = new_trie("lim", 2);
	struct uebpf_map_spec s;
	struct uebpf_error err = { 0 };
	struct v4_key k;
	uint32_t v = 1;

	(void)state;
	k = v4(8, 10, 0, 0, 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_EXIST, &err), -ENOENT);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), -EEXIST);
	v = 2;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_EXIST, &err), 0);
	k = v4(33, 10, 0, 0, 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "prefixlen 33 above 32"));
	k = v4(16, 10, 9, 0, 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0);
	k = v4(16, 10, 8, 0, 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -ENOSPC);
	assert_non_null(strstr(err.msg, "full"));
	k = v4(16, 10, 9, 0, 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0); /* replace: fine */
	uebpf_map_destroy(m);

	s = map_spec("t", BPF_MAP_TYPE_LPM_TRIE, 8, 4, 4, 0);
	expect_create_error(&s, -EINVAL, "BPF_F_NO_PREALLOC");
	s = map_spec("t", BPF_MAP_TYPE_LPM_TRIE, 4, 4, 4, BPF_F_NO_PREALLOC);
	expect_create_error(&s, -EINVAL, "key_size 4 out of range 5..260");
	s = map_spec("t", BPF_MAP_TYPE_LPM_TRIE, 261, 4, 4, BPF_F_NO_PREALLOC);
	expect_create_error(&s, -EINVAL, "key_size 261");
}

static void test_lpm_iteration(void **state)
{
	struct uebpf_map *m = new_trie("iter", 64);
	struct v4_key k, next, *prev = NULL;
	uint32_t v = 0, seen = 0, found_mask = 0;

	(void)state;
	assert_int_equal(uebpf_map_get_next_key(m, NULL, &next, NULL), -ENOENT);
	/* 10 prefixes, with covering ones and intermediate nodes between. */
	static const struct { uint32_t len; uint8_t a, b; } p[] = {
		{ 8, 10, 0 }, { 16, 10, 1 }, { 16, 10, 2 }, { 16, 10, 128 }, { 12, 10, 16 },
		{ 0, 0, 0 }, { 8, 192, 0 }, { 16, 192, 168 }, { 9, 10, 128 }, { 24, 10, 2 },
	};
	for (uint32_t i = 0; i < 10; i++) {
		k = v4(p[i].len, p[i].a, p[i].b, 0, 0);
		v = i;
		assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, NULL), 0);
	}
	while (uebpf_map_get_next_key(m, prev, &next, NULL) == 0) {
		assert_int_equal(uebpf_map_lookup(m, &next, &v, NULL), 0);
		assert_true(v < 10);
		/* Lookup returns the longest match of the key's own prefix; for
		 * an entry key that is the entry itself. */
		assert_int_equal(next.prefixlen, p[v].len);
		assert_false(found_mask & (1u << v));
		found_mask |= 1u << v;
		seen++;
		k = next;
		prev = &k;
		assert_true(seen <= 10);
	}
	assert_int_equal(seen, 10);
	uebpf_map_destroy(m);
}

/* Randomised: the trie must agree with a brute-force longest match. */
struct entry {
	uint32_t len, addr, value;
	bool live;
};

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static uint32_t mask_of(uint32_t len)
{
	return len ? ~0u << (32 - len) : 0;
}

static struct v4_key key_of(uint32_t len, uint32_t addr)
{
	return v4(len, addr >> 24, addr >> 16, addr >> 8, addr);
}

static void test_lpm_random_vs_brute_force(void **state)
{
	enum { N = 300 };
	struct uebpf_map *m = new_trie("rand", N);
	static struct entry e[N];
	uint32_t seed = 12345;

	(void)state;
	memset(e, 0, sizeof(e));
	for (int round = 0; round < 3000; round++) {
		uint32_t i = rnd(&seed) % N, op = rnd(&seed) % 3;

		if (op < 2 && !e[i].live) {
			/* Lengths cluster so that prefixes nest and share bits. */
			uint32_t len = (rnd(&seed) % 5) * 6 + rnd(&seed) % 3;
			uint32_t addr = (rnd(&seed) & 0xff0f0f00u) & mask_of(len);
			struct v4_key k = key_of(len, addr);
			bool dup = false;

			for (int j = 0; j < N; j++)
				dup |= e[j].live && e[j].len == len && e[j].addr == addr;
			if (dup)
				continue;
			e[i] = (struct entry){ len, addr, (uint32_t)round, true };
			assert_int_equal(uebpf_map_update(m, &k, &e[i].value, BPF_NOEXIST, NULL), 0);
		} else if (e[i].live) {
			struct v4_key k = key_of(e[i].len, e[i].addr);

			assert_int_equal(uebpf_map_delete(m, &k, NULL), 0);
			e[i].live = false;
		}
		for (int q = 0; q < 5; q++) {
			uint32_t addr = rnd(&seed) & 0xff0f0fffu, best_len = 0, got;
			struct v4_key k = key_of(32, addr);
			int best = -1, ret;

			for (int j = 0; j < N; j++)
				if (e[j].live && (addr & mask_of(e[j].len)) == e[j].addr &&
				    (best < 0 || e[j].len > best_len))
					best = j, best_len = e[j].len;
			ret = uebpf_map_lookup(m, &k, &got, NULL);
			if (best < 0) {
				assert_int_equal(ret, -ENOENT);
			} else {
				assert_int_equal(ret, 0);
				assert_int_equal(got, e[best].value);
			}
		}
	}
	uebpf_map_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lpm_longest_match),
		cmocka_unit_test(test_lpm_flags_and_limits),
		cmocka_unit_test(test_lpm_iteration),
		cmocka_unit_test(test_lpm_random_vs_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
