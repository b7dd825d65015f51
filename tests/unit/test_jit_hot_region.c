/* SPDX-License-Identifier: MIT */
/*
 * Checked JIT code tests accesses against the stack, the input memory and
 * the region the slow path last found (jit_state.hot_*, see
 * src/jit/jit_internal.h). These cases make that cache fill, switch and
 * meet accesses it must not let through, and check that the checked JIT
 * agrees with the checked interpreter on every one: return code, message,
 * r0 and the regions' contents.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "uebpf/asm.h"
#include "uebpf/uebpf.h"

/* Two writable regions and a read-only one, at fixed addresses so the
 * program text can name them, with a word no region covers around each. */
static uint64_t arena[20];
#define region_a (arena + 1)   /* 8 words */
#define region_b (arena + 10)  /* 4 words */
#define region_ro (arena + 15) /* 4 words */

static const struct uebpf_region regions[] = {
	{ region_a, 8 * sizeof(uint64_t), true },
	{ region_b, 4 * sizeof(uint64_t), true },
	{ region_ro, 4 * sizeof(uint64_t), false },
};

struct outcome {
	int ret;
	uint64_t r0;
	char msg[UEBPF_ERRMSG_MAX];
	uint64_t a[8], b[4], ro[4];
};

static void reset_regions(void)
{
	for (unsigned i = 0; i < 8; i++)
		region_a[i] = 0x100 + i;
	for (unsigned i = 0; i < 4; i++) {
		region_b[i] = 0x200 + i;
		region_ro[i] = 0x300 + i;
	}
}

static void run(struct uebpf_prog *prog, enum uebpf_engine engine, struct outcome *o)
{
	uint8_t mem[16] = { 0 };
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts), .mem = mem, .mem_len = sizeof(mem),
		.regions = regions, .nr_regions = 3, .engine = engine,
	};
	struct uebpf_error err = { 0 };

	memset(o, 0, sizeof(*o));
	reset_regions();
	o->ret = uebpf_prog_run(prog, &opts, &o->r0, &err);
	snprintf(o->msg, sizeof(o->msg), "%s", o->ret ? err.msg : "");
	memcpy(o->a, region_a, sizeof(o->a));
	memcpy(o->b, region_b, sizeof(o->b));
	memcpy(o->ro, region_ro, sizeof(o->ro));
	/* the gaps stay untouched */
	o->ret = o->ret ? o->ret : arena[0] | arena[9] | arena[14] | arena[19] ? -EIO : 0;
}

/* Assembles `fmt` (with %1$llx = region_a, %2$llx = region_b,
 * %3$llx = region_ro), runs it in both checked engines, checks they agree
 * and returns the JIT's outcome. */
static void run_both(struct outcome *jit, const char *fmt)
{
	static struct outcome interp;
	char text[4096];
	struct bpf_insn *insns = NULL;
	size_t cnt = 0;
	struct uebpf_prog_opts popts = { .sz = sizeof(popts), .name = "hot" };
	struct uebpf_prog *prog = NULL;
	struct uebpf_error err = { 0 };

	snprintf(text, sizeof(text), fmt, (unsigned long long)(uintptr_t)region_a,
		 (unsigned long long)(uintptr_t)region_b,
		 (unsigned long long)(uintptr_t)region_ro);
	if (uebpf_asm(text, &insns, &cnt, &err))
		fail_msg("asm: %s\n%s", err.msg, text);
	if (uebpf_prog_load(insns, cnt, &popts, &prog, &err))
		fail_msg("load: %s\n%s", err.msg, text);
	run(prog, UEBPF_ENGINE_INTERP, &interp);
	run(prog, UEBPF_ENGINE_JIT, jit);
	if (interp.ret != jit->ret || strcmp(interp.msg, jit->msg) ||
	    (!interp.ret && interp.r0 != jit->r0) || memcmp(interp.a, jit->a, sizeof(jit->a)) ||
	    memcmp(interp.b, jit->b, sizeof(jit->b)) || memcmp(interp.ro, jit->ro, sizeof(jit->ro)))
		fail_msg("interpreter and JIT differ on\n%s\n  ret %d/%d r0 0x%llx/0x%llx\n"
			 "  interp: %s\n  jit:    %s", text, interp.ret, jit->ret,
			 (unsigned long long)interp.r0, (unsigned long long)jit->r0, interp.msg,
			 jit->msg);
	uebpf_prog_destroy(prog);
	free(insns);
}

/* A loop over region_a: the first access fills the cache, the others hit it. */
static void test_loop_over_region(void **state)
{
	static struct outcome o;

	(void)state;
	run_both(&o,
		 "lddw %%r1, 0x%1$llx\n"
		 "mov %%r0, 0\n"
		 "mov %%r2, 8\n"
		 "ldxdw %%r3, [%%r1+0]\n"
		 "add %%r0, %%r3\n"
		 "add %%r3, 1\n"
		 "stxdw [%%r1+0], %%r3\n"
		 "add %%r1, 8\n"
		 "sub %%r2, 1\n"
		 "jne %%r2, 0, -7\n"
		 "exit");
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.r0, 8 * 0x100 + 28);
	assert_int_equal(o.a[7], 0x108);
}

/* Past the end of the cached region, for every access size: the inline
 * test must not let the last bytes through. */
static void test_end_of_cached_region(void **state)
{
	static struct outcome o;
	static const char *const tails[] = {
		"ldxb %%r0, [%%r1+64]\nexit", "ldxh %%r0, [%%r1+63]\nexit",
		"ldxw %%r0, [%%r1+61]\nexit", "ldxdw %%r0, [%%r1+57]\nexit",
		"stb [%%r1+64], 1\nexit", "stdw [%%r1+60], 1\nexit",
	};
	char text[256];

	(void)state;
	for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(text, sizeof(text), "lddw %%%%r1, 0x%%1$llx\nldxdw %%%%r2, [%%%%r1+0]\n"
			 "stxdw [%%%%r1+8], %%%%r2\n%s", tails[i]);
		run_both(&o, text);
		assert_int_equal(o.ret, -EFAULT);
	}
	/* the last byte of each size still fits */
	run_both(&o, "lddw %%r1, 0x%1$llx\nldxdw %%r2, [%%r1+0]\nldxb %%r0, [%%r1+63]\n"
		     "ldxdw %%r0, [%%r1+56]\nstdw [%%r1+56], 7\nexit");
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.a[7], 7);
}

/* A read-only region cached by a load must not take stores. */
static void test_readonly_region_stays_readonly(void **state)
{
	static struct outcome o;

	(void)state;
	run_both(&o, "lddw %%r1, 0x%3$llx\nldxdw %%r0, [%%r1+0]\nldxdw %%r0, [%%r1+8]\n"
		     "stdw [%%r1+8], 1\nexit");
	assert_int_equal(o.ret, -EFAULT);
	assert_int_equal(o.ro[1], 0x301);
	/* a writable region cached for stores, then a store to the read-only one */
	run_both(&o, "lddw %%r1, 0x%1$llx\nlddw %%r2, 0x%3$llx\nstdw [%%r1+0], 5\n"
		     "ldxdw %%r0, [%%r2+0]\nstdw [%%r2+0], 6\nexit");
	assert_int_equal(o.ret, -EFAULT);
	assert_int_equal(o.a[0], 5);
	assert_int_equal(o.ro[0], 0x300);
}

/* Alternating between regions: each switch goes through the slow path and
 * moves the cache; the memory between the regions stays refused. */
static void test_switching_regions(void **state)
{
	static struct outcome o;

	(void)state;
	run_both(&o,
		 "lddw %%r1, 0x%1$llx\n"
		 "lddw %%r2, 0x%2$llx\n"
		 "mov %%r4, 4\n"
		 "ldxdw %%r3, [%%r1+0]\n"
		 "stxdw [%%r2+0], %%r3\n"
		 "ldxdw %%r0, [%%r2+8]\n"
		 "stxdw [%%r1+8], %%r0\n"
		 "sub %%r4, 1\n"
		 "jne %%r4, 0, -6\n"
		 "exit");
	assert_int_equal(o.ret, 0);
	assert_int_equal(o.b[0], 0x100);
	assert_int_equal(o.a[1], 0x201);
	/* after region_a is cached, the bytes around it are still refused */
	run_both(&o, "lddw %%r1, 0x%1$llx\nldxdw %%r0, [%%r1+0]\nldxb %%r0, [%%r1-1]\nexit");
	assert_int_equal(o.ret, -EFAULT);
	run_both(&o, "lddw %%r1, 0x%1$llx\nldxdw %%r0, [%%r1+0]\nstb [%%r1+64], 1\nexit");
	assert_int_equal(o.ret, -EFAULT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loop_over_region),
		cmocka_unit_test(test_end_of_cached_region),
		cmocka_unit_test(test_readonly_region_stays_readonly),
		cmocka_unit_test(test_switching_regions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
