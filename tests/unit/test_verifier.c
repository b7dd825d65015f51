/* SPDX-License-Identifier: MIT */
/* The verifier's public API: verdicts, the refusal object, JSON, marking
 * programs verified, program type names, and a few bounds-tracking facts
 * the corpus (tests/verifier) does not isolate. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/bpf.h>

#include "progtypes/progtypes.h"
#include "uebpf/asm.h"
#include "uebpf/verifier.h"

static int verify_text(const char *text, uint32_t type, size_t mem, bool strict,
		       struct uebpf_verify_result **res, struct uebpf_error *err)
{
	struct uebpf_verify_opts o = { .sz = sizeof(o), .prog_type = type, .mem_size = mem,
				       .strict = strict, .log_level = UEBPF_VERIFY_LOG_FULL };
	struct bpf_insn *insns;
	size_t cnt;
	int ret;

	assert_int_equal(uebpf_asm(text, &insns, &cnt, err), 0);
	ret = uebpf_verify_insns(insns, cnt, &o, res, err);
	free(insns);
	return ret;
}

static void accepted_program_has_stats_and_log(void **state)
{
	struct uebpf_verify_result *res;
	struct uebpf_error err;

	(void)state;
	assert_int_equal(verify_text("mov %r0, 0\nexit\n", UEBPF_PROG_TYPE_RAW, 0, false, &res, &err), 0);
	assert_true(uebpf_verify_result_accepted(res));
	assert_null(uebpf_verify_result_refusal(res));
	assert_int_equal(uebpf_verify_result_stats(res)->insns_processed, 2);
	assert_non_null(strstr(uebpf_verify_result_log(res), "0: mov %r0, 0"));
	uebpf_verify_result_destroy(res);
}

static void refusal_names_insn_state_reason_hint(void **state)
{
	struct uebpf_verify_result *res;
	struct uebpf_error err;
	const struct uebpf_verify_refusal *r;
	char *json;

	(void)state;
	assert_int_equal(verify_text("ldxw %r2, [%r1+0]\nldxw %r3, [%r1+4]\nldxb %r0, [%r2+14]\nexit\n",
				     BPF_PROG_TYPE_XDP, 0, false, &res, &err), -EACCES);
	r = uebpf_verify_result_refusal(res);
	assert_non_null(r);
	assert_int_equal(r->code, -EACCES);
	assert_int_equal(r->insn_idx, 2);
	assert_string_equal(r->insn_text, "ldxb %r0, [%r2+14]");
	assert_string_equal(r->reg_state, "r2: pkt(off=0, range=0)");
	assert_non_null(strstr(r->reason, "checked against data_end"));
	assert_non_null(strstr(r->hint, "data + 15"));
	assert_non_null(strstr(err.msg, "insn 2"));
	assert_non_null(strstr(err.msg, "hint:"));
	assert_int_equal(uebpf_verify_result_json(res, &json, &err), 0);
	assert_non_null(strstr(json, "\"accepted\":false"));
	assert_non_null(strstr(json, "\"insn\":2"));
	free(json);
	uebpf_verify_result_destroy(res);
}

static void raw_buffer_size_is_enforced(void **state)
{
	struct uebpf_error err;

	(void)state;
	assert_int_equal(verify_text("ldxdw %r0, [%r1+8]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false,
				     NULL, &err), 0);
	assert_int_equal(verify_text("ldxdw %r0, [%r1+9]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false,
				     NULL, &err), -EACCES);
	/* r2 holds the exact length */
	assert_int_equal(verify_text("mov %r0, 0\njeq %r2, 16, +1\nldxb %r0, [%r1+100]\nexit\n",
				     UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err), 0);
}

/* Facts about scalar bounds that decide which accesses are safe. */
static void bounds_tracking(void **state)
{
	struct uebpf_error err;

	(void)state;
	/* (x & 0xf0) >> 4 is at most 15 */
	assert_int_equal(verify_text("ldxb %r3, [%r1+0]\nand %r3, 0xf0\nrsh %r3, 4\nadd %r1, %r3\n"
				     "ldxb %r0, [%r1+0]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err), 0);
	assert_int_equal(verify_text("ldxb %r3, [%r1+0]\nand %r3, 0xf0\nrsh %r3, 3\nadd %r1, %r3\n"
				     "ldxb %r0, [%r1+0]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err),
			 -EACCES);
	/* 32-bit ops zero-extend: w3 = -1 is 0xffffffff, too far */
	assert_int_equal(verify_text("mov32 %r3, -1\nadd %r1, %r3\nldxb %r0, [%r1+0]\nexit\n",
				     UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err), -EACCES);
	/* jset clears bits on the fall-through */
	assert_int_equal(verify_text("ldxb %r3, [%r1+0]\nmov %r0, 0\njset %r3, 0xf0, +2\nadd %r1, %r3\n"
				     "ldxb %r0, [%r1+0]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err), 0);
	/* a jump32 bound applies to the 64-bit value only when the upper half is zero */
	assert_int_equal(verify_text("ldxw %r3, [%r1+0]\nmov %r0, 0\njgt32 %r3, 7, +2\nadd %r1, %r3\n"
				     "ldxb %r0, [%r1+0]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err), 0);
	assert_int_equal(verify_text("ldxdw %r3, [%r1+0]\nmov %r0, 0\njgt32 %r3, 7, +2\nadd %r1, %r3\n"
				     "ldxb %r0, [%r1+0]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err),
			 -EACCES);
	/* a scalar copy learns the bound of the original */
	assert_int_equal(verify_text("ldxdw %r3, [%r1+0]\nmov %r4, %r3\nmov %r0, 0\njgt %r3, 7, +2\n"
				     "add %r1, %r4\nldxb %r0, [%r1+0]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false,
				     NULL, &err), 0);
	/* signed compare does not bound from below */
	assert_int_equal(verify_text("ldxdw %r3, [%r1+0]\nmov %r0, 0\njsgt %r3, 7, +2\nadd %r1, %r3\n"
				     "ldxb %r0, [%r1+0]\nexit\n", UEBPF_PROG_TYPE_RAW, 16, false, NULL, &err),
			 -EACCES);
}

static void prog_type_names_and_helper_lists(void **state)
{
	size_t nr;
	const struct progtype_desc *d = progtype_all(&nr);

	(void)state;
	assert_int_equal(uebpf_prog_type_from_name("xdp"), BPF_PROG_TYPE_XDP);
	assert_string_equal(uebpf_prog_type_name(UEBPF_PROG_TYPE_RAW), "raw");
	assert_int_equal(uebpf_prog_type_from_name("nope"), 0);
	for (size_t i = 0; i < nr; i++) {
		for (size_t k = 1; k < d[i].nr_helpers; k++)
			assert_true(d[i].helpers[k - 1] < d[i].helpers[k]);
		assert_true(progtype_helper_allowed(&d[i], BPF_FUNC_map_lookup_elem));
	}
}

static void bad_options(void **state)
{
	struct uebpf_verify_opts o = { .sz = 1 };
	struct bpf_insn insns[2] = { { .code = BPF_ALU64 | BPF_MOV | BPF_K }, { .code = BPF_JMP | BPF_EXIT } };
	struct uebpf_error err;
	struct uebpf_verify_result *res;

	(void)state;
	assert_int_equal(uebpf_verify_insns(insns, 2, &o, NULL, &err), -EINVAL);
	o.sz = sizeof(o);
	o.prog_type = 12345;
	assert_int_equal(uebpf_verify_insns(insns, 2, &o, &res, &err), -EINVAL);
	assert_non_null(strstr(uebpf_verify_result_refusal(res)->reason, "not supported"));
	uebpf_verify_result_destroy(res);
}

static void prog_verify_marks_program(void **state)
{
	struct bpf_insn insns[2] = { { .code = BPF_ALU64 | BPF_MOV | BPF_K }, { .code = BPF_JMP | BPF_EXIT } };
	struct bpf_insn bad[1] = { { .code = BPF_JMP | BPF_EXIT } };
	struct uebpf_prog_opts po = { .sz = sizeof(po), .name = "t" };
	struct uebpf_prog *prog;
	struct uebpf_error err;

	(void)state;
	assert_int_equal(uebpf_prog_load(insns, 2, &po, &prog, &err), 0);
	assert_false(uebpf_prog_is_verified(prog));
	assert_int_equal(uebpf_prog_verify(prog, NULL, NULL, &err), 0);
	assert_true(uebpf_prog_is_verified(prog));
	uebpf_prog_destroy(prog);

	assert_int_equal(uebpf_prog_load(bad, 1, &po, &prog, &err), 0);
	assert_int_equal(uebpf_prog_verify(prog, NULL, NULL, &err), -EACCES);
	assert_false(uebpf_prog_is_verified(prog));
	assert_non_null(strstr(err.msg, "t: insn 0 (exit)"));
	uebpf_prog_destroy(prog);
}

/* A raw program verified for N bytes reads r2 as the constant N: an
 * unchecked run on any other size must be refused, a checked one allowed. */
static void unchecked_run_needs_the_verified_size(void **state)
{
	/* r0 = *(u64 *)(r1 + 8): safe for 16 bytes, out of bounds for 8 */
	struct bpf_insn insns[2] = {
		{ .code = BPF_LDX | BPF_MEM | BPF_DW, .dst_reg = 0, .src_reg = 1, .off = 8 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	struct uebpf_verify_opts vo = { .sz = sizeof(vo), .prog_type = UEBPF_PROG_TYPE_RAW,
					.mem_size = 16 };
	struct uebpf_prog_opts po = { .sz = sizeof(po), .name = "sized" };
	uint64_t buf[2] = { 1, 42 }, r0 = 0;
	struct uebpf_run_opts ro = { .sz = sizeof(ro), .mem = buf, .mem_len = 16,
				     .flags = UEBPF_RUN_UNCHECKED };
	struct uebpf_prog *prog;
	struct uebpf_error err;

	(void)state;
	assert_int_equal(uebpf_prog_load(insns, 2, &po, &prog, &err), 0);
	assert_int_equal(uebpf_prog_verify(prog, &vo, NULL, &err), 0);
	assert_int_equal(uebpf_prog_run(prog, &ro, &r0, &err), 0);
	assert_int_equal(r0, 42);

	ro.mem_len = 8;
	assert_int_equal(uebpf_prog_run(prog, &ro, &r0, &err), -EPERM);
	assert_non_null(strstr(err.msg, "verified for a 16-byte input"));

	ro.flags = 0;   /* checked: the engine catches the overrun itself */
	assert_int_equal(uebpf_prog_run(prog, &ro, &r0, &err), -EFAULT);
	uebpf_prog_destroy(prog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepted_program_has_stats_and_log),
		cmocka_unit_test(refusal_names_insn_state_reason_hint),
		cmocka_unit_test(raw_buffer_size_is_enforced),
		cmocka_unit_test(bounds_tracking),
		cmocka_unit_test(prog_type_names_and_helper_lists),
		cmocka_unit_test(bad_options),
		cmocka_unit_test(prog_verify_marks_program),
		cmocka_unit_test(unchecked_run_needs_the_verified_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
