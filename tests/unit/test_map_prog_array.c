/* SPDX-License-Identifier: MIT */
/* prog_array and the program registry. The registry never dereferences
 * programs, so stand-in pointers are enough here. */
#include "test_map_util.h"

static char prog_a, prog_b;
#define PROG_A ((const struct uebpf_prog *)&prog_a)
#define PROG_B ((const struct uebpf_prog *)&prog_b)

static void test_registry(void **state)
{
	struct uebpf_error err = { 0 };
	uint32_t a, b;

	(void)state;
	assert_int_equal(uebpf_prog_registry_add(PROG_A, &a, &err), 0);
	assert_int_equal(uebpf_prog_registry_add(PROG_B, &b, &err), 0);
	assert_int_not_equal(a, 0);
	assert_int_not_equal(a, b);
	assert_ptr_equal(uebpf_prog_registry_get(a), PROG_A);
	assert_ptr_equal(uebpf_prog_registry_get(b), PROG_B);
	assert_null(uebpf_prog_registry_get(0));
	assert_null(uebpf_prog_registry_get(9999));
	assert_int_equal(uebpf_prog_registry_set(a, PROG_B, &err), -EEXIST);
	assert_int_equal(uebpf_prog_registry_set(a, PROG_A, &err), 0); /* same: fine */
	assert_int_equal(uebpf_prog_registry_set(100, PROG_A, &err), 0);
	assert_ptr_equal(uebpf_prog_registry_get(100), PROG_A);
	assert_int_equal(uebpf_prog_registry_set(0, PROG_A, &err), -EINVAL);
	assert_int_equal(uebpf_prog_registry_set(70000, PROG_A, &err), -EINVAL);
	uebpf_prog_registry_forget(PROG_A);
	assert_null(uebpf_prog_registry_get(a));
	assert_null(uebpf_prog_registry_get(100));
	assert_ptr_equal(uebpf_prog_registry_get(b), PROG_B);
	uebpf_prog_registry_remove(b);
	assert_null(uebpf_prog_registry_get(b));
}

static void test_prog_array(void **state)
{
	struct uebpf_map *m = new_map("jmp", BPF_MAP_TYPE_PROG_ARRAY, 4, 4, 4, 0);
	struct uebpf_error err = { 0 };
	uint32_t a, k, v;

	(void)state;
	assert_int_equal(uebpf_prog_registry_add(PROG_A, &a, &err), 0);
	k = 1;
	assert_int_equal(map_prog_array_get(m, 1), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, &v, &err), -ENOENT);
	assert_int_equal(uebpf_map_update(m, &k, &a, BPF_ANY, &err), 0);
	assert_int_equal(map_prog_array_get(m, 1), a);
	assert_ptr_equal(uebpf_prog_registry_get(map_prog_array_get(m, 1)), PROG_A);
	assert_int_equal(map_prog_array_get(m, 4), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, &v, &err), 0);
	assert_int_equal(v, a);
	v = 4242;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -EBADF);
	assert_non_null(strstr(err.msg, "not registered"));
	assert_int_equal(uebpf_map_update(m, &k, &a, BPF_NOEXIST, &err), -EINVAL);
	k = 4;
	assert_int_equal(uebpf_map_update(m, &k, &a, BPF_ANY, &err), -E2BIG);
	/* Programs cannot change it, nor look into it (tail calls only). */
	k = 1;
	assert_int_equal(map_update_elem(m, &k, &a, BPF_ANY), -EOPNOTSUPP);
	assert_null(map_lookup_elem(m, &k));
	assert_int_equal(uebpf_map_delete(m, &k, &err), 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), -ENOENT);
	assert_int_equal(map_prog_array_get(m, 1), 0);
	uebpf_prog_registry_remove(a);
	uebpf_map_destroy(m);

	struct uebpf_map_spec s = map_spec("jmp", BPF_MAP_TYPE_PROG_ARRAY, 4, 8, 4, 0);
	expect_create_error(&s, -EINVAL, "must be 4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_prog_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
