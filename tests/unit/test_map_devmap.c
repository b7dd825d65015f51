/* SPDX-License-Identifier: MIT */
/* devmap and devmap_hash: the kernel's update/lookup/delete semantics,
 * refused devmap programs, read-only for programs (runtime and verifier),
 * bpf_redirect_map on them, sharing through a pinned file. */
#include "test_map_util.h"
#include "test_helpers_util.h"
#include "helpers/pkt_ctx.h"

struct devmap_val8 {
	uint32_t ifindex;
	int32_t prog_fd;
};

static void test_devmap_create(void **state)
{
	struct uebpf_map_spec s;
	struct uebpf_map *m;

	(void)state;
	s = map_spec("dm", BPF_MAP_TYPE_DEVMAP, 8, 4, 4, 0);
	expect_create_error(&s, -EINVAL, "key_size must be 4");
	s = map_spec("dm", BPF_MAP_TYPE_DEVMAP, 4, 6, 4, 0);
	expect_create_error(&s, -EINVAL, "value_size must be 4 (an ifindex) or 8");
	s = map_spec("dm", BPF_MAP_TYPE_DEVMAP_HASH, 4, 12, 4, 0);
	expect_create_error(&s, -EINVAL, "value_size must be 4 (an ifindex) or 8");
	s = map_spec("dm", BPF_MAP_TYPE_DEVMAP, 4, 4, 0, 0);
	expect_create_error(&s, -EINVAL, "max_entries");
	s = map_spec("dm", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, BPF_F_MMAPABLE);
	expect_create_error(&s, -EINVAL, "not allowed for devmap");
	s = map_spec("dm", BPF_MAP_TYPE_DEVMAP_HASH, 4, 4, 4, BPF_F_WRONLY_PROG);
	expect_create_error(&s, -EINVAL, "not allowed for devmap_hash");

	/* Every devmap is read-only for programs, as the kernel makes it. */
	m = new_map("dm", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
	assert_int_equal(uebpf_map_flags(m), BPF_F_RDONLY_PROG);
	assert_string_equal(uebpf_map_type_name(BPF_MAP_TYPE_DEVMAP), "devmap");
	assert_string_equal(uebpf_map_type_name(BPF_MAP_TYPE_DEVMAP_HASH), "devmap_hash");
	/* A spec without the implied flag still describes the map. */
	s = map_spec("dm", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
	assert_int_equal(uebpf_map_check_spec(m, &s, NULL), 0);
	uebpf_map_destroy(m);
	m = new_map("dmh", BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 4, BPF_F_RDONLY_PROG | BPF_F_RDONLY);
	assert_int_equal(uebpf_map_flags(m), BPF_F_RDONLY_PROG | BPF_F_RDONLY);
	uebpf_map_destroy(m);
}

static void test_devmap_semantics(void **state)
{
	struct uebpf_map *m = new_map("dm", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
	struct uebpf_error err = { 0 };
	uint32_t k, v, out, next;
	uint32_t *p;

	(void)state;
	/* Slots start empty. */
	for (k = 0; k < 4; k++) {
		assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), -ENOENT);
		assert_non_null(strstr(err.msg, "holds no device"));
		assert_null(map_lookup_elem(m, &k));
	}
	k = 1, v = 7;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), 0);
	assert_int_equal(out, 7);
	v = 8;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_EXIST, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), -EEXIST);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_F_LOCK, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "BPF_ANY"));
	k = 4;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -E2BIG);
	assert_non_null(strstr(err.msg, "index 4 out of range (max_entries 4)"));
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), -ENOENT);

	/* The program view: a pointer to the ifindex, NULL when empty. */
	k = 1;
	p = map_lookup_elem(m, &k);
	assert_non_null(p);
	assert_int_equal(*p, 8);
	/* Programs cannot change it (BPF_F_RDONLY_PROG). */
	v = 9;
	assert_int_equal(map_update_elem(m, &k, &v, BPF_ANY), -EPERM);
	assert_int_equal(map_delete_elem(m, &k), -EPERM);
	assert_int_equal(*p, 8);
	{
		struct uebpf_region r[2];

		assert_int_equal(map_value_regions(m, r, 2), 1);
		assert_false(r[0].writable);
		assert_true((uint8_t *)p >= (uint8_t *)r[0].addr &&
			    (uint8_t *)p + 4 <= (uint8_t *)r[0].addr + r[0].len);
	}

	/* Iteration walks every index, as the kernel's devmap does; lookups
	 * of empty ones fail. */
	assert_int_equal(uebpf_map_get_next_key(m, NULL, &next, &err), 0);
	assert_int_equal(next, 0);
	k = 2;
	assert_int_equal(uebpf_map_get_next_key(m, &k, &next, &err), 0);
	assert_int_equal(next, 3);
	k = 3;
	assert_int_equal(uebpf_map_get_next_key(m, &k, &next, &err), -ENOENT);

	/* ifindex 0 empties a slot; delete does too and succeeds when empty
	 * (both as in the kernel); out of range is -EINVAL. */
	k = 1, v = 0;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), -ENOENT);
	assert_null(map_lookup_elem(m, &k));
	v = 5;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), 0);
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), -ENOENT);
	assert_int_equal(uebpf_map_delete(m, &k, &err), 0);
	k = 4;
	assert_int_equal(uebpf_map_delete(m, &k, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "out of range"));
	uebpf_map_destroy(m);
}

static void test_devmap_val8(void **state)
{
	struct uebpf_map *m = new_map("dm8", BPF_MAP_TYPE_DEVMAP, 4, 8, 2, 0);
	struct uebpf_error err = { 0 };
	struct devmap_val8 v = { 3, -1 }, out;
	uint32_t k = 0;

	(void)state;
	assert_int_equal(sizeof(struct devmap_val8), sizeof(struct bpf_devmap_val));
	/* fd -1 and 0 mean no program; lookups return program id 0. */
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0);
	memset(&out, 0xff, sizeof(out));
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), 0);
	assert_int_equal(out.ifindex, 3);
	assert_int_equal(out.prog_fd, 0);
	/* A program fd is refused with the reason; the slot keeps its entry. */
	v = (struct devmap_val8){ 4, 5 };
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -EOPNOTSUPP);
	assert_non_null(strstr(err.msg, "devmap programs"));
	assert_non_null(strstr(err.msg, "bpf_prog.fd = 5"));
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), 0);
	assert_int_equal(out.ifindex, 3);
	uebpf_map_destroy(m);
}

static void test_devmap_hash_semantics(void **state)
{
	struct uebpf_map *m = new_map("dmh", BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 2, 0);
	struct uebpf_error err = { 0 };
	struct devmap_val8 v = { 11, 0 }, out;
	uint32_t k = 1000, k2 = 2000, k3 = 3000, next;
	uint32_t *p;

	(void)state;
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), -ENOENT);
	assert_int_equal(uebpf_map_get_next_key(m, NULL, &next, &err), -ENOENT);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_NOEXIST, &err), -EEXIST);
	assert_int_equal(uebpf_map_update(m, &k2, &v, BPF_EXIST, &err), -ENOENT);
	v.ifindex = 12;
	assert_int_equal(uebpf_map_update(m, &k2, &v, BPF_ANY, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k3, &v, BPF_ANY, &err), -E2BIG);
	/* ifindex 0 names no device here (the kernel finds none). */
	v.ifindex = 0;
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "ifindex 0"));
	v = (struct devmap_val8){ 13, 9 };
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), -EOPNOTSUPP);
	assert_int_equal(uebpf_map_lookup(m, &k, &out, &err), 0);
	assert_int_equal(out.ifindex, 11);
	assert_int_equal(out.prog_fd, 0);

	p = map_lookup_elem(m, &k2);
	assert_non_null(p);
	assert_int_equal(*p, 12);
	assert_null(map_lookup_elem(m, &k3));
	assert_int_equal(map_update_elem(m, &k3, &v, BPF_ANY), -EPERM);
	assert_int_equal(map_delete_elem(m, &k), -EPERM);

	assert_int_equal(uebpf_map_delete(m, &k, &err), 0);
	assert_int_equal(uebpf_map_delete(m, &k, &err), -ENOENT);
	assert_int_equal(uebpf_map_get_next_key(m, NULL, &next, &err), 0);
	assert_int_equal(next, k2);
	assert_int_equal(uebpf_map_get_next_key(m, &k2, &next, &err), -ENOENT);
	uebpf_map_destroy(m);
}

/* Another process opening the pinned devmap sees the same entries and the
 * same read-only-for-programs flag. */
static int child_reads_devmap(void *arg)
{
	const char *dir = arg;
	struct uebpf_map *m = NULL;
	uint32_t k = 2, out = 0;

	if (uebpf_map_open(dir, "ports", &m, NULL))
		return 1;
	if (uebpf_map_lookup(m, &k, &out, NULL) || out != 42)
		return 2;
	if (!(uebpf_map_flags(m) & BPF_F_RDONLY_PROG) || map_update_elem(m, &k, &k, 0) != -EPERM)
		return 3;
	uebpf_map_destroy(m);
	return 0;
}

static void test_devmap_pinned(void **state)
{
	struct uebpf_map_spec s = map_spec("ports", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
	struct uebpf_error err = { 0 };
	struct uebpf_map *m = NULL;
	uint32_t k = 2, v = 42;
	char dir[64];

	(void)state;
	make_pin_dir(dir, sizeof(dir));
	s.pin_dir = dir;
	assert_int_equal(uebpf_map_create(&s, &m, &err), 0);
	assert_int_equal(uebpf_map_update(m, &k, &v, BPF_ANY, &err), 0);
	assert_int_equal(run_in_child(child_reads_devmap, dir), 0);
	uebpf_map_destroy(m);
	rm_pin_dir(dir);
}

struct pkt {
	struct pkt_xdp_buff x;
	struct uebpf_run_ctx rc;
};

static void pkt_init(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->rc.xdp = &p->x;
}

#define REDIRECT(p, map, key, flags) \
	helper_redirect_map((uintptr_t)(map), (key), (flags), 0, 0, &(p)->rc)

static void test_redirect_map_devmap(void **state)
{
	struct uebpf_map *dm = new_map("dm", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
	struct uebpf_map *dh = new_map("dh", BPF_MAP_TYPE_DEVMAP_HASH, 4, 8, 4, 0);
	struct devmap_val8 v8 = { 21, 0 };
	uint32_t k = 3, v = 17;
	struct pkt p;

	(void)state;
	pkt_init(&p);
	/* Absent: the low bits of flags, no redirect recorded. */
	assert_int_equal(REDIRECT(&p, dm, 3, XDP_PASS), XDP_PASS);
	assert_int_equal(REDIRECT(&p, dm, 3, XDP_DROP), XDP_DROP);
	assert_int_equal(REDIRECT(&p, dm, 3, XDP_TX), XDP_TX);
	assert_int_equal(REDIRECT(&p, dm, 99, XDP_ABORTED), XDP_ABORTED);
	assert_false(p.x.redirect.set);
	/* Present: XDP_REDIRECT to the entry's ifindex. */
	assert_int_equal(uebpf_map_update(dm, &k, &v, BPF_ANY, NULL), 0);
	assert_int_equal(REDIRECT(&p, dm, 3, XDP_PASS), XDP_REDIRECT);
	assert_true(p.x.redirect.set);
	assert_int_equal(p.x.redirect.ifindex, 17);
	assert_ptr_equal(p.x.redirect.map, dm);
	assert_int_equal(p.x.redirect.key, 3);
	/* The key is a u32: the upper half of r2 is ignored, as in the kernel. */
	pkt_init(&p);
	assert_int_equal(REDIRECT(&p, dm, (1ull << 32) | 3, XDP_PASS), XDP_REDIRECT);
	assert_int_equal(p.x.redirect.ifindex, 17);
	/* Unknown flags abort; deleted entries fall back to the default. */
	assert_int_equal(REDIRECT(&p, dm, 3, 1u << 5), XDP_ABORTED);
	assert_int_equal(uebpf_map_delete(dm, &k, NULL), 0);
	assert_int_equal(REDIRECT(&p, dm, 3, XDP_DROP), XDP_DROP);

	k = 77;
	pkt_init(&p);
	assert_int_equal(REDIRECT(&p, dh, 77, XDP_DROP), XDP_DROP);
	assert_int_equal(uebpf_map_update(dh, &k, &v8, BPF_ANY, NULL), 0);
	assert_int_equal(REDIRECT(&p, dh, 77, XDP_DROP), XDP_REDIRECT);
	assert_int_equal(p.x.redirect.ifindex, 21);
	uebpf_map_destroy(dm);
	uebpf_map_destroy(dh);
}

/* The verifier's view: bpf_redirect_map and lookups are allowed on a
 * devmap, updates and writes through a looked-up value are not. */
static int verify_xdp(const struct bpf_insn *insns, size_t n, struct uebpf_map *map,
		      struct uebpf_error *err)
{
	struct uebpf_verify_map vm = {
		.name = uebpf_map_name(map), .type = uebpf_map_type(map),
		.key_size = uebpf_map_key_size(map), .value_size = uebpf_map_value_size(map),
		.max_entries = uebpf_map_max_entries(map), .map_flags = uebpf_map_flags(map),
	};
	struct uebpf_verify_opts o = { .sz = sizeof(o), .prog_type = BPF_PROG_TYPE_XDP,
				       .maps = &vm, .nr_maps = 1 };

	return uebpf_verify_insns(insns, n, &o, NULL, err);
}

static void test_devmap_verifier(void **state)
{
	struct uebpf_map *dm = new_map("dm", BPF_MAP_TYPE_DEVMAP, 4, 4, 4, 0);
	struct uebpf_error err = { 0 };
	const struct bpf_insn redirect[] = {
		LD_MAP(1, 0), MOV64_IMM(2, 1), MOV64_IMM(3, XDP_PASS),
		CALL(BPF_FUNC_redirect_map), EXIT(),
	};
	const struct bpf_insn lookup_read[] = {
		ST(BPF_W, 10, -4, 1), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -4),
		CALL(BPF_FUNC_map_lookup_elem), JMP_IMM(BPF_JEQ, 0, 0, 2),
		LDX(BPF_W, 0, 0, 0), EXIT(),
		MOV64_IMM(0, XDP_PASS), EXIT(),
	};
	const struct bpf_insn lookup_write[] = {
		ST(BPF_W, 10, -4, 1), LD_MAP(1, 0), MOV64_REG(2, 10), ADD64_IMM(2, -4),
		CALL(BPF_FUNC_map_lookup_elem), JMP_IMM(BPF_JEQ, 0, 0, 1),
		ST(BPF_W, 0, 0, 5), MOV64_IMM(0, XDP_PASS), EXIT(),
	};
	const struct bpf_insn update[] = {
		ST(BPF_W, 10, -4, 1), ST(BPF_W, 10, -8, 7), LD_MAP(1, 0), MOV64_REG(2, 10),
		ADD64_IMM(2, -4), MOV64_REG(3, 10), ADD64_IMM(3, -8), MOV64_IMM(4, 0),
		CALL(BPF_FUNC_map_update_elem), MOV64_IMM(0, XDP_PASS), EXIT(),
	};

	(void)state;
	assert_int_equal(verify_xdp(redirect, N(redirect), dm, &err), 0);
	assert_int_equal(verify_xdp(lookup_read, N(lookup_read), dm, &err), 0);
	assert_int_equal(verify_xdp(lookup_write, N(lookup_write), dm, &err), -EACCES);
	assert_non_null(strstr(err.msg, "read-only"));
	assert_int_equal(verify_xdp(update, N(update), dm, &err), -EACCES);
	assert_non_null(strstr(err.msg, "cannot be used with map"));
	uebpf_map_destroy(dm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devmap_create),
		cmocka_unit_test(test_devmap_semantics),
		cmocka_unit_test(test_devmap_val8),
		cmocka_unit_test(test_devmap_hash_semantics),
		cmocka_unit_test(test_devmap_pinned),
		cmocka_unit_test(test_redirect_map_devmap),
		cmocka_unit_test(test_devmap_verifier),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
