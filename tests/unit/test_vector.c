/* SPDX-License-Identifier: MIT */
/* Conformance-vector reader: each section kind, both raw formats, comments,
 * empty files, unknown sections and malformed input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "isa/isa.h"
#include "isa/mnemonics.h"
#include "uebpf/vector.h"

static void parse_ok(const char *text, struct uebpf_vector *v)
{
	struct uebpf_error err = { 0 };

	if (uebpf_vector_parse(text, v, &err))
		fail_msg("parse failed: %s\n--- input:\n%s", err.msg, text);
}

static void test_empty(void **state)
{
	struct uebpf_vector v;

	(void)state;
	parse_ok("", &v);
	assert_null(v.asm_text);
	assert_null(v.raw);
	assert_null(v.mem);
	assert_false(v.has_result);
	assert_false(v.has_error);
	assert_null(v.error_text);
	assert_null(v.unknown_section);
	uebpf_vector_free(&v);

	parse_ok("# only a comment\n\n# Copyright line\n", &v);
	assert_null(v.asm_text);
	assert_false(v.has_result);
	uebpf_vector_free(&v);
}

static void test_full_vector(void **state)
{
	const char *text =
		"# Copyright (c) somebody\n"
		"# SPDX-License-Identifier: MIT\n"
		"-- asm\n"
		"# a comment inside asm stays for the assembler\n"
		"ldxh %r0, [%r1+2]\n"
		"exit\n"
		"-- mem\n"
		"aa bb\n"
		"# comment between bytes\n"
		"11 22 cc\n"
		"-- result\n"
		"0x2211\n"
		"-- c\n"
		"#include <stdint.h>\n"
		"int f(void) { return 1; }\n"
		"-- no register offset\n"
		"call instruction\n";
	struct uebpf_vector v;
	const unsigned char mem[] = { 0xaa, 0xbb, 0x11, 0x22, 0xcc };

	(void)state;
	parse_ok(text, &v);
	assert_string_equal(v.asm_text,
			    "# a comment inside asm stays for the assembler\n"
			    "ldxh %r0, [%r1+2]\n"
			    "exit\n");
	assert_int_equal(v.mem_len, sizeof(mem));
	assert_memory_equal(v.mem, mem, sizeof(mem));
	assert_true(v.has_result);
	assert_int_equal(v.result, 0x2211);
	assert_false(v.has_error);
	assert_null(v.raw);
	assert_null(v.unknown_section);
	uebpf_vector_free(&v);
	assert_null(v.asm_text);
}

static void test_raw_words(void **state)
{
	struct uebpf_vector v;

	(void)state;
	parse_ok("-- raw\n"
		 "0x5566778800000018\n"
		 "  0x1122334400000000  \n"
		 "# comment\n"
		 "\n"
		 "0x0000000000000095\n", &v);
	assert_int_equal(v.raw_cnt, 3);
	assert_int_equal(v.raw[0].code, 0x18);
	assert_int_equal(v.raw[0].imm, 0x55667788);
	assert_int_equal(v.raw[1].imm, 0x11223344);
	assert_int_equal(v.raw[2].code, 0x95);
	assert_null(v.asm_text);
	uebpf_vector_free(&v);
}

static void test_raw_bytes(void **state)
{
	struct uebpf_vector v;

	(void)state;
	parse_ok("-- raw\n"
		 "07 a1 fe ff 01 00 00 80\n"
		 "95 00 00 00 00 00 00 00\n"
		 "0x0000000000000095\n"
		 "-- error\n", &v);
	assert_int_equal(v.raw_cnt, 3);
	assert_int_equal(v.raw[0].code, 0x07);
	assert_int_equal(v.raw[0].dst_reg, 1);
	assert_int_equal(v.raw[0].src_reg, 0xa);
	assert_int_equal(v.raw[0].off, -2);
	assert_int_equal((uint32_t)v.raw[0].imm, 0x80000001u);
	assert_int_equal(isa_insn_to_word(&v.raw[0]), 0x80000001fffea107ULL);
	assert_int_equal(v.raw[1].code, 0x95);
	assert_true(v.has_error);
	assert_string_equal(v.error_text, "");
	uebpf_vector_free(&v);
}

static void test_error_text(void **state)
{
	struct uebpf_vector v;

	(void)state;
	parse_ok("-- asm\nlock\nexit\n-- error\n  Invalid number of operands for lock \n"
		 "second line\n\n", &v);
	assert_true(v.has_error);
	assert_string_equal(v.error_text, "Invalid number of operands for lock\nsecond line");
	assert_string_equal(v.asm_text, "lock\nexit\n");
	uebpf_vector_free(&v);
}

static void test_unknown_section(void **state)
{
	struct uebpf_vector v;

	(void)state;
	parse_ok("-- asm\n-- Unknown directive\nwhatever is here\n-- error\nInvalid register\n"
		 "-- other\n", &v);
	assert_non_null(v.asm_text);
	assert_string_equal(v.asm_text, "");
	assert_string_equal(v.unknown_section, "Unknown directive");
	assert_true(v.has_error);
	assert_string_equal(v.error_text, "Invalid register");
	uebpf_vector_free(&v);
}

static void test_crlf_and_result_forms(void **state)
{
	struct uebpf_vector v;

	(void)state;
	parse_ok("-- asm\r\nexit\r\n-- result\r\n0\r\n", &v);
	assert_string_equal(v.asm_text, "exit\n");
	assert_true(v.has_result);
	assert_int_equal(v.result, 0);
	uebpf_vector_free(&v);

	parse_ok("-- result\n0xFFFFFFFFFFFFFFFF\n", &v);
	assert_int_equal(v.result, UINT64_MAX);
	uebpf_vector_free(&v);

	parse_ok("-- result\n10000000A\n-- mem\n", &v);
	assert_int_equal(v.result, 0x10000000aULL);
	assert_non_null(v.mem);
	assert_int_equal(v.mem_len, 0);
	uebpf_vector_free(&v);
}

struct bad_vector {
	const char *text;
	const char *expect;
};

static const struct bad_vector bad_vectors[] = {
	{ "-- raw\n95 00 00\n", "line 2" },
	{ "-- raw\n0x95zz\n", "64-bit hex word" },
	{ "-- raw\n95 00 00 00 00 00 00 0g\n", "`0g`" },
	{ "-- raw\n0x10000000000000000\n", "line 2" },
	{ "-- mem\n11 2\n", "`2`" },
	{ "-- mem\n11 223\n", "hex byte" },
	{ "-- result\nxyz\n", "hex number" },
	{ "-- result\n1\n2\n", "second value" },
	{ "mov %r0, 1\n-- asm\n", "outside any section" },
};

static void test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_vectors) / sizeof(bad_vectors[0]); i++) {
		struct uebpf_vector v;
		struct uebpf_error err = { 0 };
		int ret = uebpf_vector_parse(bad_vectors[i].text, &v, &err);

		if (ret != -EINVAL || !strstr(err.msg, bad_vectors[i].expect) ||
		    !strstr(err.msg, "line "))
			fail_msg("`%s`: returned %d with `%s`, expected -EINVAL naming `%s`",
				 bad_vectors[i].text, ret, err.msg, bad_vectors[i].expect);
		/* a failed parse leaves nothing to free */
		assert_null(v.asm_text);
		assert_null(v.raw);
		assert_null(v.mem);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_full_vector),
		cmocka_unit_test(test_raw_words),
		cmocka_unit_test(test_raw_bytes),
		cmocka_unit_test(test_error_text),
		cmocka_unit_test(test_unknown_section),
		cmocka_unit_test(test_crlf_and_result_forms),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
