/* SPDX-License-Identifier: MIT */
/* Map creation, validation, pinning, opening from another process,
 * listing, access flags and freezing. */
#include "test_map_util.h"

#include <fcntl.h>
#include <sys/stat.h>

static void test_name_validation(void **state)
{
	struct uebpf_map_spec s = map_spec(NULL, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	char long_name[80];

	(void)state;
	expect_create_error(&s, -EINVAL, "name is required");
	s.name = "";
	expect_create_error(&s, -EINVAL, "name is required");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	s.name = long_name;
	expect_create_error(&s, -EINVAL, "the limit is 63");
	s.name = "bad/name";
	expect_create_error(&s, -EINVAL, "character 3 ('/')");
	s.name = "..";
	expect_create_error(&s, -EINVAL, "reserved");
	long_name[63] = '\0';
	s.name = long_name;
	uebpf_map_destroy(new_map(long_name, BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0));
	uebpf_map_destroy(new_map(".rodata.str1.1", BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0));
}

static void test_spec_validation(void **state)
{
	struct uebpf_map_spec s = map_spec("m", 9999, 4, 8, 4, 0);
	struct uebpf_error err;
	struct uebpf_map *map;
	uint8_t big[sizeof(struct uebpf_map_spec) + 8] = { 0 };

	(void)state;
	expect_create_error(&s, -EINVAL, "type 9999 is not supported");
	s.type = BPF_MAP_TYPE_STACK_TRACE;
	expect_create_error(&s, -EINVAL, "not supported");
	s = map_spec("m", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_NO_PREALLOC);
	expect_create_error(&s, -EINVAL, "map_flags 0x1 not allowed for array");
	s = map_spec("m", BPF_MAP_TYPE_ARRAY, 4, 8, 4, BPF_F_RDONLY | BPF_F_WRONLY);
	expect_create_error(&s, -EINVAL, "both read-only and write-only");
	s = map_spec("m", BPF_MAP_TYPE_HASH, 4, 8, 4, 0);
	s.map_extra = 3;
	expect_create_error(&s, -EINVAL, "map_extra must be 0");
	s = map_spec("m", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	s.sz = 4;
	expect_create_error(&s, -EINVAL, "spec->sz");

	/* A newer caller's spec: unknown trailing bytes must be zero. */
	s = map_spec("m", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	s.sz = sizeof(big);
	memcpy(big, &s, sizeof(s));
	assert_int_equal(uebpf_map_create((struct uebpf_map_spec *)big, &map, NULL), 0);
	uebpf_map_destroy(map);
	big[sizeof(big) - 1] = 1;
	assert_int_equal(uebpf_map_create((struct uebpf_map_spec *)big, &map, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "upgrade"));
	/* An older caller's spec (no map_extra) works. */
	s = map_spec("m", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	s.sz = offsetof(struct uebpf_map_spec, map_extra);
	assert_int_equal(uebpf_map_create(&s, &map, NULL), 0);
	uebpf_map_destroy(map);
	/* Absurd sizes are refused, not attempted. */
	s = map_spec("huge", BPF_MAP_TYPE_ARRAY, 4, 1u << 28, 0xffffffffu, 0);
	expect_create_error(&s, -E2BIG, "lower max_entries");
}

static void test_type_names(void **state)
{
	static const uint32_t types[] = {
		BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PERCPU_ARRAY, BPF_MAP_TYPE_HASH,
		BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_LRU_PERCPU_HASH,
		BPF_MAP_TYPE_LPM_TRIE, BPF_MAP_TYPE_RINGBUF, BPF_MAP_TYPE_PERF_EVENT_ARRAY,
		BPF_MAP_TYPE_QUEUE, BPF_MAP_TYPE_STACK, BPF_MAP_TYPE_BLOOM_FILTER,
		BPF_MAP_TYPE_PROG_ARRAY, BPF_MAP_TYPE_ARRAY_OF_MAPS, BPF_MAP_TYPE_HASH_OF_MAPS,
	};
	uint32_t t;

	(void)state;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		const char *name = uebpf_map_type_name(types[i]);

		assert_non_null(name);
		assert_int_equal(uebpf_map_type_from_name(name, &t), 0);
		assert_int_equal(t, types[i]);
	}
	assert_string_equal(uebpf_map_type_name(BPF_MAP_TYPE_LRU_PERCPU_HASH), "lru_percpu_hash");
	assert_null(uebpf_map_type_name(BPF_MAP_TYPE_SOCKMAP));
	assert_int_equal(uebpf_map_type_from_name("nope", &t), -ENOENT);
}

struct list_ctx {
	char names[8][64];
	uint32_t types[8];
	int n;
};

static int collect(void *ctx, const struct uebpf_map_info *info)
{
	struct list_ctx *l = ctx;

	if (l->n < 8) {
		snprintf(l->names[l->n], sizeof(l->names[0]), "%s", info->name);
		l->types[l->n++] = info->type;
	}
	return 0;
}

static void test_pin_open_list_unpin(void **state)
{
	struct uebpf_map_spec s = map_spec("counts", BPF_MAP_TYPE_HASH, 4, 8, 16, 0);
	struct uebpf_map *a, *b, *c, *again;
	struct uebpf_error err = { 0 };
	struct list_ctx l = { 0 };
	char dir[64], junk[128], path[128];
	uint32_t k = 7;
	uint64_t v = 42, out = 0;
	int fd;

	(void)state;
	make_pin_dir(dir, sizeof(dir));
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &a, &err), 0);
	snprintf(path, sizeof(path), "%s/counts", dir);
	assert_string_equal(uebpf_map_pin_path(a), path);
	assert_int_equal(access(path, F_OK), 0);
	/* Same name twice: refused, the first one is untouched. */
	expect_create_error(&s, -EEXIST, "already exists");
	s = map_spec("arr", BPF_MAP_TYPE_ARRAY, 4, 4, 2, 0);
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &c, &err), 0);

	assert_int_equal(uebpf_map_update(a, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_open(dir, "counts", &b, &err), 0);
	assert_int_equal(uebpf_map_type(b), BPF_MAP_TYPE_HASH);
	assert_int_equal(uebpf_map_max_entries(b), 16);
	assert_int_not_equal(uebpf_map_id(a), uebpf_map_id(b));
	assert_int_equal(uebpf_map_lookup(b, &k, &out, &err), 0);
	assert_int_equal(out, 42);
	v = 43;
	assert_int_equal(uebpf_map_update(b, &k, &v, BPF_EXIST, &err), 0);
	assert_int_equal(uebpf_map_lookup(a, &k, &out, &err), 0);
	assert_int_equal(out, 43);
	assert_int_equal(uebpf_map_check_spec(b, &(struct uebpf_map_spec){ .sz = sizeof(s),
		.name = "counts", .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
		.max_entries = 16 }, &err), 0);
	assert_int_equal(uebpf_map_check_spec(b, &(struct uebpf_map_spec){ .sz = sizeof(s),
		.name = "counts", .type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 16,
		.max_entries = 16 }, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "value_size 8, the spec wants 16"));

	/* A stranger file in the pin dir is not a map. */
	snprintf(junk, sizeof(junk), "%s/junk", dir);
	fd = open(junk, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello, not a map, just some bytes....................", 50), 50);
	close(fd);
	assert_int_equal(uebpf_map_open(dir, "junk", &again, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a uebpf map"));
	assert_int_equal(uebpf_map_open(dir, "missing", &again, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "no map 'missing'"));

	assert_int_equal(uebpf_map_list_pinned(dir, collect, &l, &err), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.names[0], "arr");
	assert_int_equal(l.types[0], BPF_MAP_TYPE_ARRAY);
	assert_string_equal(l.names[1], "counts");

	assert_int_equal(uebpf_map_unpin(a, &err), 0);
	assert_null(uebpf_map_pin_path(a));
	assert_int_equal(uebpf_map_open(dir, "counts", &again, &err), -ENOENT);
	/* Still shared by those that have it. */
	v = 44;
	assert_int_equal(uebpf_map_update(a, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_lookup(b, &k, &out, &err), 0);
	assert_int_equal(out, 44);
	uebpf_map_destroy(a);
	uebpf_map_destroy(b);
	uebpf_map_destroy(c);
	rm_pin_dir(dir);
}

struct child_args {
	const char *dir;
	int adds;
};

/* In the child: open both maps by name and change them. */
static int child_changes_maps(void *p)
{
	struct child_args *a = p;
	struct uebpf_map *arr, *hash;
	uint32_t k;
	uint64_t v;

	if (uebpf_map_open(a->dir, "shared_arr", &arr, NULL) ||
	    uebpf_map_open(a->dir, "shared_hash", &hash, NULL))
		return 1;
	for (k = 0; k < 100; k++) {
		v = k * 10;
		if (uebpf_map_update(hash, &k, &v, BPF_NOEXIST, NULL))
			return 2;
	}
	k = 1;
	for (int i = 0; i < a->adds; i++)
		__atomic_fetch_add((uint64_t *)map_lookup_elem(arr, &k), 1, __ATOMIC_RELAXED);
	uebpf_map_destroy(arr);
	uebpf_map_destroy(hash);
	return 0;
}

static void test_cross_process(void **state)
{
	struct uebpf_map_spec s = map_spec("shared_arr", BPF_MAP_TYPE_ARRAY, 4, 8, 4, 0);
	struct uebpf_map *arr, *hash;
	struct uebpf_error err = { 0 };
	struct child_args args;
	char dir[64];
	uint32_t k;
	uint64_t v;
	int status;
	pid_t pid;

	(void)state;
	make_pin_dir(dir, sizeof(dir));
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &arr, &err), 0);
	s = map_spec("shared_hash", BPF_MAP_TYPE_HASH, 4, 8, 128, 0);
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &hash, &err), 0);

	/* Child and parent add to the same counter at the same time. */
	args = (struct child_args){ .dir = dir, .adds = 100000 };
	pid = fork();
	if (pid == 0)
		_exit(child_changes_maps(&args));
	k = 1;
	for (int i = 0; i < 100000; i++)
		__atomic_fetch_add((uint64_t *)map_lookup_elem(arr, &k), 1, __ATOMIC_RELAXED);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	assert_int_equal(uebpf_map_lookup(arr, &k, &v, &err), 0);
	assert_int_equal(v, 200000);
	for (k = 0; k < 100; k++) {
		assert_int_equal(uebpf_map_lookup(hash, &k, &v, &err), 0);
		assert_int_equal(v, k * 10);
	}
	uebpf_map_destroy(arr);
	uebpf_map_destroy(hash);
	rm_pin_dir(dir);
}

static void test_access_flags_and_freeze(void **state)
{
	struct uebpf_map *ro = new_map("ro", BPF_MAP_TYPE_ARRAY, 4, 8, 2, BPF_F_RDONLY);
	struct uebpf_map *wo = new_map("wo", BPF_MAP_TYPE_HASH, 4, 8, 2, BPF_F_WRONLY);
	struct uebpf_map *rop = new_map("rop", BPF_MAP_TYPE_ARRAY, 4, 8, 2, BPF_F_RDONLY_PROG);
	struct uebpf_map *fr = new_map("fr", BPF_MAP_TYPE_ARRAY, 4, 8, 2, 0);
	struct uebpf_error err = { 0 };
	struct uebpf_region r;
	uint32_t k = 0;
	uint64_t v = 5;

	(void)state;
	assert_int_equal(uebpf_map_update(ro, &k, &v, BPF_ANY, &err), -EPERM);
	assert_non_null(strstr(err.msg, "BPF_F_RDONLY"));
	assert_int_equal(uebpf_map_lookup(ro, &k, &v, &err), 0);
	assert_int_equal(uebpf_map_update(wo, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_lookup(wo, &k, &v, &err), -EPERM);
	assert_int_equal(map_update_elem(rop, &k, &v, BPF_ANY), -EPERM);
	assert_int_equal(uebpf_map_update(rop, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(map_value_regions(rop, &r, 1), 1);
	assert_false(r.writable);

	assert_false(uebpf_map_is_frozen(fr));
	assert_int_equal(uebpf_map_freeze(fr, &err), 0);
	assert_true(uebpf_map_is_frozen(fr));
	assert_int_equal(uebpf_map_update(fr, &k, &v, BPF_ANY, &err), -EPERM);
	assert_non_null(strstr(err.msg, "frozen"));
	assert_int_equal(map_update_elem(fr, &k, &v, BPF_ANY), 0);
	assert_int_equal(map_value_regions(fr, &r, 1), 1);
	assert_true(r.writable);
	uebpf_map_destroy(ro);
	uebpf_map_destroy(wo);
	uebpf_map_destroy(rop);
	uebpf_map_destroy(fr);
}

static void test_info_and_ids(void **state)
{
	struct uebpf_map *m = new_map("info", BPF_MAP_TYPE_PERCPU_HASH, 8, 12, 10, BPF_F_NO_PREALLOC);
	struct uebpf_map_info info;

	(void)state;
	uebpf_map_get_info(m, &info);
	assert_string_equal(info.name, "info");
	assert_int_equal(info.type, BPF_MAP_TYPE_PERCPU_HASH);
	assert_int_equal(info.key_size, 8);
	assert_int_equal(info.value_size, 12);
	assert_int_equal(info.max_entries, 10);
	assert_int_equal(info.nr_slots, uebpf_map_nr_cpus());
	assert_int_equal(uebpf_map_host_value_size(m), 16 * uebpf_map_nr_cpus());
	assert_ptr_equal(uebpf_map_from_id(uebpf_map_id(m)), m);
	assert_null(uebpf_map_pin_path(m));
	uebpf_map_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_validation),
		cmocka_unit_test(test_spec_validation),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_pin_open_list_unpin),
		cmocka_unit_test(test_cross_process),
		cmocka_unit_test(test_access_flags_and_freeze),
		cmocka_unit_test(test_info_and_ids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
