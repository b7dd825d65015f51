/* SPDX-License-Identifier: MIT */
/*
 * The JIT's lean entry (jit_lean_fn) and uebpf_prog_run's fast path that
 * calls it: which programs get one, that a run through it gives what the
 * full path (jit_run, with its run context) and the interpreter give, that
 * the host's callee-saved registers survive, and that every option the fast
 * path does not judge still reaches the full path and its checks.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jit/jit.h"
#include "prog/prog.h"
#include "uebpf/asm.h"
#include "uebpf/helpers.h"
#include "uebpf/map.h"
#include "uebpf/uebpf.h"
#include "uebpf/verifier.h"

#define MEM_SIZE 64

static struct uebpf_helper_set *helpers;

static int setup(void **state)
{
	struct uebpf_error err = { 0 };

	(void)state;
	return uebpf_helper_set_create_linux(UEBPF_PROG_TYPE_RAW, &helpers, &err) ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	uebpf_helper_set_destroy(helpers);
	return 0;
}

/* Assembles, loads (with `maps`) and verifies `text` as a raw program over
 * MEM_SIZE bytes. */
static struct uebpf_prog *load_verified_maps(const char *text, struct uebpf_map *const *maps,
					     size_t nr_maps)
{
	struct uebpf_prog_opts popts = { .sz = sizeof(popts), .name = "lean", .helpers = helpers,
					 .maps = maps, .nr_maps = nr_maps };
	struct uebpf_verify_opts vopts = {
		.sz = sizeof(vopts), .prog_type = UEBPF_PROG_TYPE_RAW, .mem_size = MEM_SIZE,
	};
	struct uebpf_verify_result *result = NULL;
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog = NULL;
	struct bpf_insn *insns = NULL;
	size_t cnt = 0;

	if (uebpf_asm(text, &insns, &cnt, &err))
		fail_msg("asm: %s", err.msg);
	if (uebpf_prog_load(insns, cnt, &popts, &prog, &err))
		fail_msg("load: %s", err.msg);
	free(insns);
	if (uebpf_prog_verify(prog, &vopts, &result, &err))
		fail_msg("verify: %s", err.msg);
	if (!uebpf_verify_result_accepted(result))
		fail_msg("refused: %s", uebpf_verify_result_refusal(result)->reason);
	uebpf_verify_result_destroy(result);
	return prog;
}

static struct uebpf_prog *load_verified(const char *text)
{
	return load_verified_maps(text, NULL, 0);
}

static int run_prog(struct uebpf_prog *prog, uint8_t *mem, enum uebpf_engine engine,
		    uint64_t *r0, struct uebpf_error *err)
{
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts), .mem = mem, .mem_len = MEM_SIZE,
		.engine = engine, .flags = UEBPF_RUN_UNCHECKED,
	};

	return uebpf_prog_run(prog, &opts, r0, err);
}

/* The program's result and memory through the fast path (JIT, which must
 * have a lean entry), jit_run (the full path on the same image) and the
 * interpreter are the same. */
static void check_lean_run(const char *text, uint64_t expect_r0)
{
	struct uebpf_prog *prog = load_verified(text);
	uint8_t mem_jit[MEM_SIZE], mem_full[MEM_SIZE], mem_interp[MEM_SIZE];
	struct uebpf_error err = { 0 };
	uint64_t r0_jit = 0, r0_full = 0, r0_interp = 0;
	struct uebpf_run_ctx rc;

	for (size_t i = 0; i < MEM_SIZE; i++)
		mem_jit[i] = (uint8_t)(i * 37 + 11);
	memcpy(mem_full, mem_jit, MEM_SIZE);
	memcpy(mem_interp, mem_jit, MEM_SIZE);

	assert_int_equal(run_prog(prog, mem_jit, UEBPF_ENGINE_JIT, &r0_jit, &err), 0);
	assert_non_null(prog->jit);
	assert_non_null(jit_image_lean_entry(prog->jit));
	assert_ptr_equal((void *)prog->jit_lean, (void *)jit_image_lean_entry(prog->jit));
	/* a second run takes the fast path (the first compiled the image) */
	memcpy(mem_jit, mem_full, MEM_SIZE);
	assert_int_equal(run_prog(prog, mem_jit, UEBPF_ENGINE_JIT, &r0_jit, &err), 0);

	{
		unsigned char stack[UEBPF_STACK_SIZE * UEBPF_MAX_CALL_DEPTH]
			__attribute__((aligned(16)));

		memset(&rc, 0, sizeof(rc));
		rc.prog = prog;
		rc.stack_lo = (uintptr_t)stack;
		rc.stack_hi = (uintptr_t)stack + sizeof(stack);
		rc.mem_lo = (uintptr_t)mem_full;
		rc.mem_hi = (uintptr_t)mem_full + MEM_SIZE;
		rc.err = &err;
		assert_int_equal(jit_run(prog->jit, &rc, (uintptr_t)mem_full, MEM_SIZE, &r0_full,
					 &err), 0);
	}
	assert_int_equal(run_prog(prog, mem_interp, UEBPF_ENGINE_INTERP, &r0_interp, &err), 0);

	assert_int_equal(r0_jit, expect_r0);
	assert_int_equal(r0_full, expect_r0);
	assert_int_equal(r0_interp, expect_r0);
	assert_memory_equal(mem_jit, mem_interp, MEM_SIZE);
	assert_memory_equal(mem_full, mem_interp, MEM_SIZE);
	uebpf_prog_destroy(prog);
}

static void test_smallest(void **state)
{
	(void)state;
	check_lean_run("mov %r0, 42\nexit", 42);
}

/* Touches every register the lean entry may have to save (r6..r9 in rbx,
 * r13..r15 and r10 in rbp) and the stack. If the entry failed to restore
 * one, this function's own locals (kept in those registers by gcc at -O2)
 * would change across the runs. */
static void test_callee_saved_registers(void **state)
{
	static const char text[] =
		"mov %r6, 1\nmov %r7, 2\nmov %r8, 3\nmov %r9, 4\n"
		"stxdw [%r10-8], %r6\nstxdw [%r10-16], %r7\n"
		"ldxdw %r2, [%r10-8]\nldxdw %r3, [%r10-16]\n"
		"add %r6, %r7\nadd %r6, %r8\nadd %r6, %r9\nadd %r6, %r2\nadd %r6, %r3\n"
		"ldxw %r4, [%r1+4]\nstxw [%r1+8], %r4\n"
		"mov %r0, %r6\nexit";
	volatile uint64_t before = 0x1234;
	uint64_t a = before * 3, b = a ^ 0x5555, c = b + a, d = c * 7;

	(void)state;
	for (int k = 0; k < 3; k++)
		check_lean_run(text, 1 + 2 + 3 + 4 + 1 + 2);
	assert_int_equal(a, before * 3);
	assert_int_equal(b, a ^ 0x5555);
	assert_int_equal(c, b + a);
	assert_int_equal(d, c * 7);
}

/* Only r6 (rbx) is saved: r10 is unused, so rbp must be left alone. */
static void test_saves_only_what_is_written(void **state)
{
	(void)state;
	check_lean_run("mov %r6, 7\nldxb %r2, [%r1+3]\nadd %r6, %r2\nmov %r0, %r6\nexit",
		       7 + (uint8_t)(3 * 37 + 11));
}

static void test_loop(void **state)
{
	(void)state;
	/* sum of the 64 bytes of the input */
	check_lean_run("mov %r0, 0\nmov %r2, 0\n"
		       "loop:\nmov %r3, %r1\nadd %r3, %r2\nldxb %r4, [%r3]\nadd %r0, %r4\n"
		       "add %r2, 1\njlt %r2, 64, loop\nexit",
		       ({ uint64_t s = 0; for (int i = 0; i < MEM_SIZE; i++) s += (uint8_t)(i * 37 + 11); s; }));
}

/* Direct map calls (jit_mapcall.h) need no run context: such code keeps
 * its lean entry, which then runs the body 16-byte aligned for the C
 * function it calls, whatever number of registers it saved (none, one:
 * padded, two). The map value the runs leave must be the interpreter's. */
static void test_direct_map_calls(void **state)
{
	static const char *const texts[] = {
		/* no callee-saved register */
		"stw [%r10-4], 3\nlddw %r1, map_idx 0\nmov %r2, %r10\nadd %r2, -4\ncall 1\n"
		"jeq %r0, 0, +3\nldxdw %r1, [%r0]\nadd %r1, 5\nstxdw [%r0], %r1\nmov %r0, 1\nexit",
		/* r6: one saved register */
		"mov %r6, 7\nstw [%r10-4], 3\nlddw %r1, map_idx 0\nmov %r2, %r10\nadd %r2, -4\n"
		"call 1\njeq %r0, 0, +3\nldxdw %r1, [%r0]\nadd %r1, %r6\nstxdw [%r0], %r1\n"
		"mov %r0, %r6\nexit",
		/* r6, r7: two; an update too */
		"mov %r6, 7\nmov %r7, 9\nstw [%r10-4], 3\nstdw [%r10-16], 100\n"
		"lddw %r1, map_idx 0\nmov %r2, %r10\nadd %r2, -4\nmov %r3, %r10\nadd %r3, -16\n"
		"mov %r4, 0\ncall 2\nadd %r0, %r6\nadd %r0, %r7\nexit",
	};
	static const uint64_t expect_r0[] = { 1, 7, 16 };
	static const uint64_t expect_value[] = { 5, 7, 100 };
	struct uebpf_map_spec spec = {
		.sz = sizeof(spec), .name = "lean_map", .type = BPF_MAP_TYPE_ARRAY,
		.key_size = 4, .value_size = 8, .max_entries = 8,
	};
	struct uebpf_error err = { 0 };

	(void)state;
	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++)
		for (int engine = 0; engine < 2; engine++) {
			struct uebpf_map *map = NULL;
			struct uebpf_prog *prog;
			uint8_t mem[MEM_SIZE] = { 0 };
			uint64_t r0 = 0, value = 0;
			uint32_t key = 3;

			assert_int_equal(uebpf_map_create(&spec, &map, &err), 0);
			prog = load_verified_maps(texts[k], &map, 1);
			/* twice: the first run compiles, the second takes the fast path */
			for (int run = 0; run < 2; run++)
				assert_int_equal(run_prog(prog, mem, engine ? UEBPF_ENGINE_JIT
									    : UEBPF_ENGINE_INTERP,
							  &r0, &err), 0);
			assert_int_equal(r0, expect_r0[k]);
			assert_int_equal(uebpf_map_lookup(map, &key, &value, &err), 0);
			/* lookups add twice (two runs); the update sets */
			assert_int_equal(value, k == 2 ? expect_value[k] : 2 * expect_value[k]);
			if (engine) {
				assert_non_null(prog->jit);
				assert_non_null(jit_image_lean_entry(prog->jit));
			}
			uebpf_prog_destroy(prog);
			uebpf_map_destroy(map);
		}
}

/* Code that needs the host has no lean entry. */
static void test_no_lean_entry(void **state)
{
	static const char *const texts[] = {
		/* helper call */
		"call 7\nexit",
		/* local call */
		"call local sub\nexit\nsub:\nmov %r0, 1\nexit",
		/* legacy packet load */
		"mov %r6, %r1\nldabsb 3\nexit",
	};
	struct uebpf_error err = { 0 };

	(void)state;
	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		struct uebpf_prog_opts popts = {
			.sz = sizeof(popts), .name = "full", .helpers = helpers,
		};
		struct uebpf_prog *prog = NULL;
		struct bpf_insn *insns = NULL;
		struct jit_image *image = NULL;
		size_t cnt = 0;

		if (uebpf_asm(texts[k], &insns, &cnt, &err))
			fail_msg("asm %zu: %s", k, err.msg);
		assert_int_equal(uebpf_prog_load(insns, cnt, &popts, &prog, &err), 0);
		free(insns);
		assert_int_equal(jit_compile(prog, false, &image, &err), 0);
		assert_null(jit_image_lean_entry(image));
		jit_image_free(image);
		/* checked code never has one */
		assert_int_equal(jit_compile(prog, true, &image, &err), 0);
		assert_null(jit_image_lean_entry(image));
		jit_image_free(image);
		uebpf_prog_destroy(prog);
	}
}

/* The fast path leaves every judgement to the full path: a raw program run
 * on another size, bad options and the interpreter are still refused or
 * honoured there. */
static void test_options_still_checked(void **state)
{
	struct uebpf_prog *prog = load_verified("mov %r0, 5\nexit");
	struct uebpf_error err = { 0 };
	uint8_t mem[MEM_SIZE] = { 0 };
	uint64_t r0 = 0;
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts), .mem = mem, .mem_len = MEM_SIZE, .flags = UEBPF_RUN_UNCHECKED,
	};

	(void)state;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), 0);
	assert_int_equal(r0, 5);
	assert_non_null(prog->jit_lean);

	opts.mem_len = MEM_SIZE - 1;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EPERM);
	opts.mem_len = MEM_SIZE;

	opts.flags = UEBPF_RUN_UNCHECKED | 0x80;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EINVAL);
	opts.flags = UEBPF_RUN_UNCHECKED;

	opts.nr_regions = 1;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EINVAL);
	opts.nr_regions = 0;

	opts.engine = (enum uebpf_engine)77;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), -EINVAL);
	opts.engine = UEBPF_ENGINE_INTERP;
	r0 = 0;
	assert_int_equal(uebpf_prog_run(prog, &opts, &r0, &err), 0);
	assert_int_equal(r0, 5);

	/* a NULL retval is allowed on the fast path too */
	opts.engine = UEBPF_ENGINE_JIT;
	assert_int_equal(uebpf_prog_run(prog, &opts, NULL, &err), 0);
	uebpf_prog_destroy(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_smallest),
		cmocka_unit_test(test_callee_saved_registers),
		cmocka_unit_test(test_saves_only_what_is_written),
		cmocka_unit_test(test_loop),
		cmocka_unit_test(test_direct_map_calls),
		cmocka_unit_test(test_no_lean_entry),
		cmocka_unit_test(test_options_still_checked),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
