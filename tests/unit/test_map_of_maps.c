/* SPDX-License-Identifier: MIT */
/* array_of_maps and hash_of_maps: ids, inner shape checks, program
 * lookups, and another process resolving the same inner map. */
#include "test_map_util.h"

static void test_array_of_maps(void **state)
{
	struct uebpf_map *tmpl = new_map("tmpl", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	struct uebpf_map *in1 = new_map("in1", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	struct uebpf_map *wrong = new_map("wrong", BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0);
	struct uebpf_map *bigger = new_map("bigger", BPF_MAP_TYPE_ARRAY, 4, 8, 8, 0);
	struct uebpf_map_spec s = map_spec("outer", BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 2, 0);
	struct uebpf_error err = { 0 };
	struct uebpf_map *outer;
	uint32_t k = 0, id;

	(void)state;
	expect_create_error(&s, -EINVAL, "needs spec.inner_map");
	s.inner_map = tmpl;
	assert_int_equal(uebpf_map_create(&s, &outer, &err), 0);

	assert_null(map_lookup_elem(outer, &k));
	assert_int_equal(uebpf_map_lookup(outer, &k, &id, &err), -ENOENT);
	id = uebpf_map_id(in1);
	assert_int_equal(uebpf_map_update(outer, &k, &id, BPF_ANY, &err), 0);
	assert_ptr_equal(map_lookup_elem(outer, &k), in1);
	id = 0;
	assert_int_equal(uebpf_map_lookup(outer, &k, &id, &err), 0);
	assert_int_equal(id, uebpf_map_id(in1));

	id = uebpf_map_id(wrong);
	assert_int_equal(uebpf_map_update(outer, &k, &id, BPF_ANY, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "value_size 16, the outer map takes 8"));
	id = uebpf_map_id(bigger);
	assert_int_equal(uebpf_map_update(outer, &k, &id, BPF_ANY, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "max_entries"));
	id = 777777;
	assert_int_equal(uebpf_map_update(outer, &k, &id, BPF_ANY, &err), -EBADF);
	id = uebpf_map_id(in1);
	assert_int_equal(map_update_elem(outer, &k, &id, BPF_ANY), -EOPNOTSUPP);
	k = 2;
	assert_int_equal(uebpf_map_update(outer, &k, &id, BPF_ANY, &err), -E2BIG);
	k = 0;
	assert_int_equal(uebpf_map_delete(outer, &k, &err), 0);
	assert_null(map_lookup_elem(outer, &k));
	assert_int_equal(uebpf_map_delete(outer, &k, &err), -ENOENT);

	/* An inner map closed in this process resolves to nothing. */
	assert_int_equal(uebpf_map_update(outer, &k, &id, BPF_ANY, &err), 0);
	uebpf_map_destroy(in1);
	assert_null(map_lookup_elem(outer, &k));
	assert_int_equal(uebpf_map_lookup(outer, &k, &id, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "not open in this process"));

	uebpf_map_destroy(outer);
	uebpf_map_destroy(tmpl);
	uebpf_map_destroy(wrong);
	uebpf_map_destroy(bigger);
}

static void test_inner_map_flag(void **state)
{
	struct uebpf_map *tmpl = new_map("tmpl", BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	struct uebpf_map *atmpl = new_map("atmpl", BPF_MAP_TYPE_ARRAY, 4, 4, 1, BPF_F_INNER_MAP);
	struct uebpf_map *big = new_map("big", BPF_MAP_TYPE_ARRAY, 4, 4, 100, BPF_F_INNER_MAP);
	struct uebpf_map *in = new_map("in", BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	struct uebpf_map_spec s = map_spec("hom", BPF_MAP_TYPE_HASH_OF_MAPS, 8, 4, 4, 0);
	struct uebpf_error err = { 0 };
	struct uebpf_map *outer, *outer2;
	uint64_t key = 12345;
	uint32_t id, k = 0;

	(void)state;
	s.inner_map = tmpl;
	assert_int_equal(uebpf_map_create(&s, &outer, &err), 0);
	id = uebpf_map_id(in);
	assert_int_equal(uebpf_map_update(outer, &key, &id, BPF_NOEXIST, &err), 0);
	assert_int_equal(uebpf_map_update(outer, &key, &id, BPF_NOEXIST, &err), -EEXIST);
	assert_ptr_equal(map_lookup_elem(outer, &key), in);
	id = 0;
	assert_int_equal(uebpf_map_lookup(outer, &key, &id, &err), 0);
	assert_int_equal(id, uebpf_map_id(in));
	assert_int_equal(uebpf_map_lookup_and_delete(outer, &key, &id, &err), 0);
	assert_int_equal(id, uebpf_map_id(in));
	assert_null(map_lookup_elem(outer, &key));

	/* BPF_F_INNER_MAP on the template: any max_entries goes. */
	s = map_spec("aom", BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 1, 0);
	s.inner_map = atmpl;
	assert_int_equal(uebpf_map_create(&s, &outer2, &err), 0);
	id = uebpf_map_id(big);
	assert_int_equal(uebpf_map_update(outer2, &k, &id, BPF_ANY, &err), 0);
	assert_ptr_equal(map_lookup_elem(outer2, &k), big);

	s = map_spec("bad", BPF_MAP_TYPE_HASH_OF_MAPS, 4, 8, 4, 0);
	s.inner_map = tmpl;
	expect_create_error(&s, -EINVAL, "value_size must be 4");
	s = map_spec("bad", BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0);
	s.inner_map = outer;
	expect_create_error(&s, -EINVAL, "inner maps cannot be hash_of_maps");
	s = map_spec("bad", BPF_MAP_TYPE_HASH, 4, 4, 4, 0);
	s.inner_map = tmpl;
	expect_create_error(&s, -EINVAL, "only for array_of_maps/hash_of_maps");
	uebpf_map_destroy(outer);
	uebpf_map_destroy(outer2);
	uebpf_map_destroy(tmpl);
	uebpf_map_destroy(atmpl);
	uebpf_map_destroy(big);
	uebpf_map_destroy(in);
}

/* The child opens the outer and inner maps by name; a lookup of the outer
 * map yields an object of this process for the inner map (the child's own
 * or the one it inherited from its parent: both map the same memory). */
static int child_follows_inner(void *dir)
{
	struct uebpf_map *outer, *inner, *got;
	uint32_t k = 3, id;
	uint64_t v = 77, w = 0;

	if (uebpf_map_open(dir, "outer", &outer, NULL))
		return 1;
	if (uebpf_map_open(dir, "inner", &inner, NULL))
		return 2;
	got = map_lookup_elem(outer, &k);
	if (!got || strcmp(uebpf_map_name(got), "inner") != 0)
		return 3;
	if (uebpf_map_lookup(outer, &k, &id, NULL) || uebpf_map_from_id(id) != got)
		return 4;
	k = 0;
	if (map_update_elem(got, &k, &v, BPF_ANY))
		return 5;
	if (uebpf_map_lookup(inner, &k, &w, NULL) || w != 77)
		return 6;
	uebpf_map_destroy(inner);
	uebpf_map_destroy(outer);
	return 0;
}

static void test_of_maps_other_process(void **state)
{
	struct uebpf_map_spec s = map_spec("inner", BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0);
	struct uebpf_map *inner, *outer;
	char dir[64];
	uint32_t k = 3, id;
	uint64_t v;

	(void)state;
	make_pin_dir(dir, sizeof(dir));
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &inner, NULL), 0);
	s = map_spec("outer", BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 4, 0);
	s.pin_dir = dir;
	s.inner_map = inner;
	assert_int_equal(uebpf_map_create(&s, &outer, NULL), 0);
	id = uebpf_map_id(inner);
	assert_int_equal(uebpf_map_update(outer, &k, &id, BPF_ANY, NULL), 0);
	assert_int_equal(run_in_child(child_follows_inner, dir), 0);
	k = 0;
	assert_int_equal(uebpf_map_lookup(inner, &k, &v, NULL), 0);
	assert_int_equal(v, 77);
	uebpf_map_destroy(outer);
	uebpf_map_destroy(inner);
	rm_pin_dir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array_of_maps),
		cmocka_unit_test(test_inner_map_flag),
		cmocka_unit_test(test_of_maps_other_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
