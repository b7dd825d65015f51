/* SPDX-License-Identifier: MIT */
/* bloom_filter: no false negatives, few false positives, flags. */
#include "test_map_util.h"

static void test_bloom_membership(void **state)
{
	struct uebpf_map_spec s = map_spec("bf", BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 1000,
					   BPF_F_ZERO_SEED);
	struct uebpf_error err = { 0 };
	struct uebpf_map *m;
	int false_pos = 0;
	uint64_t v;

	(void)state;
	assert_int_equal(uebpf_map_create(&s, &m, &err), 0);
	v = 1;
	assert_int_equal(uebpf_map_peek(m, &v, &err), -ENOENT);
	for (v = 0; v < 1000; v++)
		assert_int_equal(uebpf_map_push(m, &v, BPF_ANY, &err), 0);
	for (v = 0; v < 1000; v++)
		assert_int_equal(uebpf_map_peek(m, &v, &err), 0);
	/* Host lookup tests the value passed in, as bpf(2) does. */
	v = 5;
	assert_int_equal(uebpf_map_lookup(m, NULL, &v, &err), 0);
	for (v = 1000000; v < 1010000; v++)
		false_pos += uebpf_map_peek(m, &v, NULL) == 0;
	/* 5 hashes over 8192 bits: about 2% expected. */
	assert_true(false_pos < 1000);
	/* Program side. */
	v = 424242;
	assert_int_equal(map_push_elem(m, &v, BPF_ANY), 0);
	assert_int_equal(map_peek_elem(m, &v), 0);
	assert_int_equal(map_update_elem(m, NULL, &v, BPF_ANY), 0);

	assert_int_equal(uebpf_map_push(m, &v, BPF_EXIST, &err), -EINVAL);
	assert_int_equal(uebpf_map_pop(m, &v, &err), -EOPNOTSUPP);
	assert_int_equal(uebpf_map_delete(m, &v, &err), -EOPNOTSUPP);
	uebpf_map_destroy(m);
}

static void test_bloom_one_hash(void **state)
{
	struct uebpf_map_spec s = map_spec("bf1", BPF_MAP_TYPE_BLOOM_FILTER, 0, 3, 10, 0);
	struct uebpf_map *m;
	uint8_t v[3];

	(void)state;
	s.map_extra = 1;
	assert_int_equal(uebpf_map_create(&s, &m, NULL), 0);
	assert_int_equal(uebpf_map_map_extra(m), 1);
	for (int i = 0; i < 10; i++) {
		memset(v, i, sizeof(v));
		assert_int_equal(uebpf_map_push(m, v, BPF_ANY, NULL), 0);
	}
	for (int i = 0; i < 10; i++) {
		memset(v, i, sizeof(v));
		assert_int_equal(uebpf_map_peek(m, v, NULL), 0);
	}
	uebpf_map_destroy(m);
}

static void test_bloom_spec_checks(void **state)
{
	struct uebpf_map_spec s = map_spec("bf", BPF_MAP_TYPE_BLOOM_FILTER, 4, 8, 10, 0);

	(void)state;
	expect_create_error(&s, -EINVAL, "key_size must be 0");
	s = map_spec("bf", BPF_MAP_TYPE_BLOOM_FILTER, 0, 8, 10, 0);
	s.map_extra = 16;
	expect_create_error(&s, -EINVAL, "only bits 0-3");
	s = map_spec("bf", BPF_MAP_TYPE_BLOOM_FILTER, 0, 0, 10, 0);
	expect_create_error(&s, -EINVAL, "value_size 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bloom_membership),
		cmocka_unit_test(test_bloom_one_hash),
		cmocka_unit_test(test_bloom_spec_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
