/* SPDX-License-Identifier: MIT */
/*
 * The program object and helper sets: loading (refusals and their
 * messages), accessors, options structs, engine selection and refusals at
 * run time.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "prog/prog.h"
#include "uebpf/uebpf.h"

#define INSN(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (OFF), .imm = (IMM) })
#define MOV64_IMM(D, I) INSN(BPF_ALU64 | BPF_K | BPF_MOV, D, 0, 0, I)
#define CALL(ID) INSN(BPF_JMP | BPF_CALL, 0, 0, 0, ID)
#define EXIT() INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t ret_r1(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		       struct uebpf_run_ctx *rc)
{
	(void)r2; (void)r3; (void)r4; (void)r5; (void)rc;
	return r1;
}

static uint64_t ret_7(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5,
		      struct uebpf_run_ctx *rc)
{
	(void)r1; (void)r2; (void)r3; (void)r4; (void)r5; (void)rc;
	return 7;
}

/* ------------------------------------------------------------ helper sets */

static void test_helper_set(void **state)
{
	struct uebpf_helper_set *set = NULL;
	struct uebpf_helper_proto proto = { .id = 10, .name = "ten", .fn = ret_r1 };
	const struct uebpf_helper_proto *found, *again;
	struct uebpf_error err = { 0 };
	char name[8] = "two";
	uint32_t id;

	(void)state;
	assert_int_equal(uebpf_helper_set_create(&set, &err), 0);
	assert_null(uebpf_helper_set_find(set, 10));
	assert_null(uebpf_helper_set_find(NULL, 10));

	/* added out of order, found by id */
	for (id = 20; id > 0; id -= 2) {
		proto.id = id;
		assert_int_equal(uebpf_helper_set_add(set, &proto, &err), 0);
	}
	proto = (struct uebpf_helper_proto){ .id = 2, .name = name, .fn = ret_r1 };
	assert_int_equal(uebpf_helper_set_add(set, &proto, &err), 0);
	strcpy(name, "XXX"); /* the name was copied */
	found = uebpf_helper_set_find(set, 2);
	assert_non_null(found);
	assert_string_equal(found->name, "two");
	for (id = 1; id <= 21; id++)
		assert_true((uebpf_helper_set_find(set, id) != NULL) == (id % 2 == 0));

	/* replacing keeps the pointer valid and changes what it says */
	proto = (struct uebpf_helper_proto){ .id = 2, .name = "two-b", .fn = ret_7 };
	assert_int_equal(uebpf_helper_set_add(set, &proto, &err), 0);
	again = uebpf_helper_set_find(set, 2);
	assert_ptr_equal(found, again);
	assert_string_equal(again->name, "two-b");
	assert_ptr_equal(again->fn, ret_7);

	proto.fn = NULL;
	assert_int_equal(uebpf_helper_set_add(set, &proto, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no function"));
	uebpf_helper_set_destroy(set);
	uebpf_helper_set_destroy(NULL);
}

/* ----------------------------------------------------------------- load */

static void test_load_and_accessors(void **state)
{
	const struct bpf_insn insns[] = { MOV64_IMM(0, 3), EXIT() };
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = "three" };
	struct uebpf_prog *prog = NULL;
	uint64_t r0 = 0;

	(void)state;
	assert_int_equal(uebpf_prog_load(insns, N(insns), &opts, &prog, NULL), 0);
	assert_string_equal(uebpf_prog_name(prog), "three");
	assert_int_equal(uebpf_prog_insn_cnt(prog), 2);
	assert_memory_equal(uebpf_prog_insns(prog), insns, sizeof(insns));
	assert_ptr_not_equal(uebpf_prog_insns(prog), insns); /* a copy */
	assert_false(uebpf_prog_is_verified(prog));
	assert_int_equal(uebpf_prog_run(prog, NULL, &r0, NULL), 0);
	assert_int_equal(r0, 3);
	uebpf_prog_destroy(prog);

	/* no options at all */
	assert_int_equal(uebpf_prog_load(insns, N(insns), NULL, &prog, NULL), 0);
	assert_string_equal(uebpf_prog_name(prog), "");
	uebpf_prog_destroy(prog);
	uebpf_prog_destroy(NULL);
}

static void expect_load_error(const struct bpf_insn *insns, size_t n,
			      const struct uebpf_helper_set *helpers, int code,
			      const char *needle1, const char *needle2)
{
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = "bad", .helpers = helpers };
	struct uebpf_prog *prog = (struct uebpf_prog *)1;
	struct uebpf_error err = { 0 };
	int ret = uebpf_prog_load(insns, n, &opts, &prog, &err);

	if (ret != code)
		fail_msg("expected %d, got %d: %s", code, ret, err.msg);
	assert_null(prog);
	if ((needle1 && !strstr(err.msg, needle1)) || (needle2 && !strstr(err.msg, needle2)))
		fail_msg("message lacks '%s' or '%s': %s", needle1, needle2 ? needle2 : "", err.msg);
}

static void test_load_refusals(void **state)
{
	struct uebpf_helper_set *set = NULL;
	struct uebpf_helper_proto proto = { .id = 1, .name = "one", .fn = ret_r1 };
	const struct bpf_insn unknown_helper[] = { MOV64_IMM(1, 0), CALL(99), EXIT() };
	const struct bpf_insn known_helper[] = { MOV64_IMM(1, 5), CALL(1), EXIT() };
	const struct bpf_insn map_ref[] = {
		INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, 3), INSN(0, 0, 0, 0, 0),
		MOV64_IMM(0, 0), EXIT(),
	};
	const struct bpf_insn map_value[] = {
		INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_VALUE, 0, 3), INSN(0, 0, 0, 0, 0),
		MOV64_IMM(0, 0), EXIT(),
	};
	const struct bpf_insn code_addr_outside[] = {
		INSN(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_FUNC, 0, 50), INSN(0, 0, 0, 0, 0),
		MOV64_IMM(0, 0), EXIT(),
	};
	const struct bpf_insn bad_encoding[] = { INSN(0xff, 0, 0, 0, 0), EXIT() };
	const struct bpf_insn falls_off[] = { MOV64_IMM(0, 0) };
	struct uebpf_prog *prog = NULL;
	struct uebpf_prog_opts opts = { .sz = sizeof(opts), .helpers = set };
	uint64_t r0 = 0;

	(void)state;
	expect_load_error(unknown_helper, N(unknown_helper), NULL, -EINVAL, "insn 1 (", "99");
	assert_int_equal(uebpf_helper_set_create(&set, NULL), 0);
	assert_int_equal(uebpf_helper_set_add(set, &proto, NULL), 0);
	expect_load_error(unknown_helper, N(unknown_helper), set, -EINVAL,
			  "unknown helper id 99", "insn 1 (");
	expect_load_error(map_ref, N(map_ref), set, -EINVAL, "object loader", "insn 0 (");
	expect_load_error(map_value, N(map_value), set, -EINVAL, "object loader", NULL);
	expect_load_error(code_addr_outside, N(code_addr_outside), set, -EINVAL, "code address", NULL);
	expect_load_error(bad_encoding, N(bad_encoding), set, -EINVAL, "insn 0", NULL);
	expect_load_error(falls_off, N(falls_off), set, -EINVAL, "insn 0", NULL);
	expect_load_error(falls_off, 0, set, -EINVAL, "empty", NULL);

	opts.helpers = set;
	assert_int_equal(uebpf_prog_load(known_helper, N(known_helper), &opts, &prog, NULL), 0);
	assert_int_equal(uebpf_prog_run(prog, NULL, &r0, NULL), 0);
	assert_int_equal(r0, 5);
	uebpf_prog_destroy(prog);
	uebpf_helper_set_destroy(set);
}

/* An options struct from an older caller (smaller sz) must work; one from a
 * newer caller with unknown non-zero fields must be refused. */
static void test_opts_sizes(void **state)
{
	const struct bpf_insn insns[] = { INSN(BPF_ALU64 | BPF_X | BPF_MOV, 0, 2, 0, 0), EXIT() };
	struct {
		struct uebpf_run_opts opts;
		uint64_t future;
	} big;
	struct uebpf_prog_opts popts = { .sz = offsetof(struct uebpf_prog_opts, helpers),
					 .name = "old" };
	struct uebpf_run_opts ropts = { 0 };
	struct uebpf_prog *prog = NULL;
	struct uebpf_error err = { 0 };
	unsigned char mem[4];
	uint64_t r0 = 0;

	(void)state;
	assert_int_equal(uebpf_prog_load(insns, N(insns), &popts, &prog, &err), 0);
	assert_string_equal(uebpf_prog_name(prog), "old");

	/* sz covering mem and mem_len only: the rest takes defaults */
	ropts.sz = offsetof(struct uebpf_run_opts, mem_readonly);
	ropts.mem = mem;
	ropts.mem_len = sizeof(mem);
	ropts.flags = UEBPF_RUN_UNCHECKED; /* beyond sz: ignored */
	assert_int_equal(uebpf_prog_run(prog, &ropts, &r0, &err), 0);
	assert_int_equal(r0, 4);

	memset(&big, 0, sizeof(big));
	big.opts.sz = sizeof(big);
	assert_int_equal(uebpf_prog_run(prog, &big.opts, &r0, &err), 0);
	big.future = 1;
	assert_int_equal(uebpf_prog_run(prog, &big.opts, &r0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "non-zero"));

	ropts = (struct uebpf_run_opts){ .sz = 0 };
	assert_int_equal(uebpf_prog_run(prog, &ropts, &r0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "sz"));
	uebpf_prog_destroy(prog);
}

static void test_run_refusals(void **state)
{
	const struct bpf_insn insns[] = { MOV64_IMM(0, 1), EXIT() };
	struct uebpf_run_opts opts = { .sz = sizeof(opts) };
	struct uebpf_prog *prog = NULL;
	struct uebpf_error err = { 0 };
	uint64_t r0 = 0;
	int ret;

	(void)state;
	assert_int_equal(uebpf_prog_load(insns, N(insns), NULL, &prog, NULL), 0);

	opts.flags = UEBPF_RUN_UNCHECKED;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EPERM);
	assert_non_null(strstr(err.msg, "not verified"));

	opts.flags = 1u << 7;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EINVAL);
	opts.flags = 0;
	opts.engine = (enum uebpf_engine)42;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EINVAL);
	opts.engine = UEBPF_ENGINE_DEFAULT;
	opts.mem_len = 4;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "mem is NULL"));
	opts.mem_len = 0;
	opts.nr_regions = 1;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EINVAL);
	opts.nr_regions = 0;
	assert_int_equal(uebpf_prog_run(NULL, &opts, &r0, &err), -EINVAL);

	/* The JIT explicitly: it either runs (once it is built) or says why not. */
	opts.engine = UEBPF_ENGINE_JIT;
	r0 = 0;
	ret = uebpf_prog_run(prog, &opts, &r0, &err);
	if (ret == 0)
		assert_int_equal(r0, 1);
	else
		assert_non_null(strstr(err.msg, "JIT"));
	/* the same answer the second time (a failed compile is remembered) */
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), ret);

	/* DEFAULT on an unverified program: the checked interpreter */
	opts.engine = UEBPF_ENGINE_DEFAULT;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), 0);
	assert_int_equal(r0, 1);
	uebpf_prog_destroy(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helper_set),
		cmocka_unit_test(test_load_and_accessors),
		cmocka_unit_test(test_load_refusals),
		cmocka_unit_test(test_opts_sizes),
		cmocka_unit_test(test_run_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
