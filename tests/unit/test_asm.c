/* SPDX-License-Identifier: MIT */
/* Assembler and disassembler: every conformance vector assembles to its raw
 * section and survives disassemble+reassemble byte for byte; every invalid
 * vector is refused with its line; targeted encodings and error classes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "isa/isa.h"
#include "isa/mnemonics.h"
#include "uebpf/asm.h"
#include "uebpf/vector.h"

/* ----------------------------------------------------------- helpers */

static bool conformance_missing;

/* UEBPF_CONFORMANCE_DIR, or ../shared/conformance beside the source tree
 * (this file is <source>/tests/unit/test_asm.c). */
static const char *conformance_dir(void)
{
	static char path[4096];
	const char *env = getenv("UEBPF_CONFORMANCE_DIR");
	struct stat st;

	if (env && *env) {
		snprintf(path, sizeof(path), "%s", env);
	} else {
		const char *file = __FILE__;
		const char *tail = strstr(file, "/tests/unit/test_asm.c");
		int root_len = tail ? (int)(tail - file) : 0;

		snprintf(path, sizeof(path), "%.*s/../shared/conformance", root_len, file);
	}
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return NULL;
	return path;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted .data file names of conformance/<sub>; NULL-terminated. */
static char **list_vectors(const char *sub)
{
	char dirpath[4200];
	const char *dir = conformance_dir();
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	if (!dir)
		return NULL;
	snprintf(dirpath, sizeof(dirpath), "%s/%s", dir, sub);
	d = opendir(dirpath);
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 5, ".data"))
			continue;
		names = realloc(names, (n + 2) * sizeof(*names));
		assert_non_null(names);
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	if (!names)
		return NULL;
	names[n] = NULL;
	qsort(names, n, sizeof(*names), cmp_names);
	return names;
}

static void free_names(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

static bool load_vector(const char *sub, const char *name, struct uebpf_vector *v)
{
	char path[4400];
	struct uebpf_error err = { 0 };
	char *text;
	int ret;

	snprintf(path, sizeof(path), "%s/%s/%s", conformance_dir(), sub, name);
	text = read_text(path);
	if (!text) {
		print_error("%s: cannot read: %s\n", path, strerror(errno));
		return false;
	}
	ret = uebpf_vector_parse(text, v, &err);
	free(text);
	if (ret) {
		print_error("%s: %s\n", path, err.msg);
		return false;
	}
	return true;
}

static void print_words(const char *what, const struct bpf_insn *insns, size_t cnt)
{
	print_error("  %s (%zu):\n", what, cnt);
	for (size_t i = 0; i < cnt; i++)
		print_error("    %zu: 0x%016" PRIx64 "\n", i, isa_insn_to_word(&insns[i]));
}

/* Disassembles, reassembles and compares; prints the text on mismatch. */
static bool roundtrip_ok(const char *who, const struct bpf_insn *insns, size_t cnt)
{
	struct uebpf_error err = { 0 };
	struct bpf_insn *again = NULL;
	size_t again_cnt = 0;
	char *text = NULL;
	bool ok;

	if (uebpf_disasm(insns, cnt, &text, &err)) {
		print_error("%s: disasm failed: %s\n", who, err.msg);
		return false;
	}
	if (uebpf_asm(text, &again, &again_cnt, &err)) {
		print_error("%s: reassembly failed: %s\n--- text:\n%s---\n", who, err.msg, text);
		free(text);
		return false;
	}
	ok = again_cnt == cnt && (cnt == 0 || !memcmp(again, insns, cnt * sizeof(*insns)));
	if (!ok) {
		print_error("%s: disasm+asm changed the bytes\n--- text:\n%s---\n", who, text);
		print_words("before", insns, cnt);
		print_words("after", again, again_cnt);
	}
	free(again);
	free(text);
	return ok;
}

static void assemble_ok(const char *text, struct bpf_insn **insns, size_t *cnt)
{
	struct uebpf_error err = { 0 };
	int ret = uebpf_asm(text, insns, cnt, &err);

	if (ret)
		fail_msg("`%s` failed to assemble: %s", text, err.msg);
}

/* ------------------------------------------------ conformance vectors */

static void test_conformance_vectors_roundtrip(void **state)
{
	char **names = list_vectors("tests");
	unsigned failures = 0, with_raw = 0, n = 0;

	(void)state;
	if (!names) {
		conformance_missing = true;
		skip();
	}
	for (size_t i = 0; names[i]; i++, n++) {
		struct uebpf_vector v;
		struct uebpf_error err = { 0 };
		struct bpf_insn *insns = NULL;
		size_t cnt = 0;

		if (!load_vector("tests", names[i], &v)) {
			failures++;
			continue;
		}
		if (v.asm_text) {
			if (uebpf_asm(v.asm_text, &insns, &cnt, &err)) {
				print_error("%s: assembly failed: %s\n", names[i], err.msg);
				failures++;
				uebpf_vector_free(&v);
				continue;
			}
			if (v.raw) {
				with_raw++;
				if (cnt != v.raw_cnt || memcmp(insns, v.raw, cnt * sizeof(*insns))) {
					print_error("%s: assembled bytes differ from the raw section\n",
						    names[i]);
					print_words("assembled", insns, cnt);
					print_words("raw", v.raw, v.raw_cnt);
					failures++;
				}
			}
		} else if (v.raw) {
			cnt = v.raw_cnt;
			insns = malloc((cnt ? cnt : 1) * sizeof(*insns));
			assert_non_null(insns);
			memcpy(insns, v.raw, cnt * sizeof(*insns));
		}
		if (insns) {
			/* these programs must run, so the encoding rules accept them */
			if (isa_validate_prog(insns, cnt, &err)) {
				print_error("%s: isa_validate_prog refused it: %s\n", names[i], err.msg);
				failures++;
			}
			if (!roundtrip_ok(names[i], insns, cnt))
				failures++;
		}
		free(insns);
		uebpf_vector_free(&v);
	}
	print_message("%u vectors, %u with a raw section, %u failures\n", n, with_raw, failures);
	free_names(names);
	assert_int_equal(failures, 0);
	assert_true(n > 300);
}

/* Negative vectors whose assembly text itself is wrong. */
static const char *const invalid_asm_vectors[] = {
	"invalid_imm32_dec_range.data", "invalid_imm32_hex_range.data",
	"invalid_label.data", "invalid_lock.data", "invalid_lock2.data",
	"invalid_mnemonic.data", "invalid_offset.data", "invalid_offset_range.data",
	"invalid_operand_count.data", "invalid_register.data",
};

static bool is_invalid_asm_vector(const char *name)
{
	for (size_t i = 0; i < sizeof(invalid_asm_vectors) / sizeof(invalid_asm_vectors[0]); i++)
		if (!strcmp(invalid_asm_vectors[i], name))
			return true;
	return false;
}

static void test_negative_vectors(void **state)
{
	char **names = list_vectors("negative");
	unsigned failures = 0, refused = 0, raw_invalid = 0;

	(void)state;
	if (!names) {
		conformance_missing = true;
		skip();
	}
	for (size_t i = 0; names[i]; i++) {
		struct uebpf_vector v;
		struct uebpf_error err = { 0 };
		struct bpf_insn *insns = NULL;
		size_t cnt = 0;
		int ret;

		if (!load_vector("negative", names[i], &v)) {
			failures++;
			continue;
		}
		if (v.asm_text) {
			ret = uebpf_asm(v.asm_text, &insns, &cnt, &err);
			if (is_invalid_asm_vector(names[i])) {
				if (!ret) {
					print_error("%s: invalid assembly was accepted\n", names[i]);
					failures++;
				} else if (!strstr(err.msg, "line ")) {
					print_error("%s: error does not name the line: %s\n", names[i],
						    err.msg);
					failures++;
				} else {
					refused++;
				}
			} else if (ret) {
				print_error("%s: valid assembly refused: %s\n", names[i], err.msg);
				failures++;
			} else if (!roundtrip_ok(names[i], insns, cnt)) {
				failures++;
			}
		} else if (v.raw) {
			char *text = NULL;

			/* broken on purpose: the disassembler must show them raw */
			assert_int_equal(uebpf_disasm(v.raw, v.raw_cnt, &text, &err), 0);
			if (!strstr(text, ".insn")) {
				print_error("%s: invalid encoding printed as an instruction:\n%s",
					    names[i], text);
				failures++;
			} else {
				raw_invalid++;
			}
			free(text);
			if (!roundtrip_ok(names[i], v.raw, v.raw_cnt))
				failures++;
		}
		free(insns);
		uebpf_vector_free(&v);
	}
	print_message("%u invalid asm refused, %u invalid raw shown as .insn, %u failures\n",
		      refused, raw_invalid, failures);
	free_names(names);
	assert_int_equal(failures, 0);
	assert_int_equal(refused, sizeof(invalid_asm_vectors) / sizeof(invalid_asm_vectors[0]));
}

/* ------------------------------------------------- targeted encodings */

struct encoding {
	const char *text;
	uint64_t words[2];
	size_t cnt;
};

static const struct encoding encodings[] = {
	{ "mov %r0, 1", { 0x00000001000000b7 }, 1 },
	{ "mov32 %r1, -1", { 0xffffffff000001b4 }, 1 },
	{ "mov32 %r1, 0xffffffff", { 0xffffffff000001b4 }, 1 },
	{ "mov %r9, -2147483648", { 0x80000000000009b7 }, 1 },
	{ "add %r1, %r2", { 0x000000000000210f }, 1 },
	{ "sdiv %r1, %r2", { 0x000000000001213f }, 1 },
	{ "sdiv32 %r1, 7", { 0x0000000700010134 }, 1 },
	{ "smod32 %r1, 3", { 0x0000000300010194 }, 1 },
	{ "smod %r4, %r5", { 0x000000000001549f }, 1 },
	{ "neg32 %r2", { 0x0000000000000284 }, 1 },
	{ "neg %r2", { 0x0000000000000287 }, 1 },
	{ "movsx832 %r0, %r1", { 0x00000000000810bc }, 1 },
	{ "movsx1632 %r4, %r3", { 0x00000000001034bc }, 1 },
	{ "movsx864 %r6, %r5", { 0x00000000000856bf }, 1 },
	{ "movsx1664 %r8, %r7", { 0x00000000001078bf }, 1 },
	{ "movsx3264 %r0, %r9", { 0x00000000002090bf }, 1 },
	{ "le16 %r0", { 0x00000010000000d4 }, 1 },
	{ "le64 %r2", { 0x00000040000002d4 }, 1 },
	{ "be32 %r3", { 0x00000020000003dc }, 1 },
	{ "bswap16 %r0", { 0x00000010000000d7 }, 1 },
	{ "swap16 %r0", { 0x00000010000000d7 }, 1 },
	{ "bswap64 %r1", { 0x00000040000001d7 }, 1 },
	{ "lddw %r0, 0x1122334455667788", { 0x5566778800000018, 0x1122334400000000 }, 2 },
	{ "lddw %r1, -1", { 0xffffffff00000118, 0xffffffff00000000 }, 2 },
	{ "lddw %r0, 2147483648", { 0x8000000000000018, 0 }, 2 },
	{ "lddw %r1, map_fd 5", { 0x0000000500001118, 0 }, 2 },
	{ "lddw %r2, map_value 3+8", { 0x0000000300002218, 0x0000000800000000 }, 2 },
	{ "lddw %r2, btf_id 77", { 0x0000004d00003218, 0 }, 2 },
	{ "lddw %r3, map_idx 1", { 0x0000000100005318, 0 }, 2 },
	{ "lddw %r3, map_idx_value 1+0xfffffff0", { 0x0000000100006318, 0xfffffff000000000 }, 2 },
	{ "lddw %r1, func +2", { 0x0000000200004118, 0 }, 2 },
	{ "ldxb %r0, [%r1]", { 0x0000000000001071 }, 1 },
	{ "ldxdw %r0, [%r1+0x2]", { 0x0000000000021079 }, 1 },
	{ "ldxh %r2, [ %r3 - 6 ]", { 0x00000000fffa3269 }, 1 },
	{ "ldxw %r0, [%r10+32767]", { 0x000000007fffa061 }, 1 },
	{ "ldxw %r0, [%r10-32768]", { 0x000000008000a061 }, 1 },
	{ "ldxsb %r0, [%r10-1]", { 0x00000000ffffa091 }, 1 },
	{ "ldxsh %r0, [%r10-2]", { 0x00000000fffea089 }, 1 },
	{ "ldxsw %r0, [%r10-4]", { 0x00000000fffca081 }, 1 },
	{ "stw [%r10-4], 0xffffffff", { 0xfffffffffffc0a62 }, 1 },
	{ "stb [%r1+1], 7", { 0x0000000700010172 }, 1 },
	{ "stxdw [%r1+8], %r2", { 0x000000000008217b }, 1 },
	{ "lock add [%r10-8], %r1", { 0x00000000fff81adb }, 1 },
	{ "lock add32 [%r10-4], %r1", { 0x00000000fffc1ac3 }, 1 },
	{ "lock fetch add32 [%r10-4], %r1", { 0x00000001fffc1ac3 }, 1 },
	{ "lock fetch xor [%r10-8], %r3", { 0x000000a1fff83adb }, 1 },
	{ "lock or32 [%r1], %r2", { 0x00000040000021c3 }, 1 },
	{ "lock xchg32 [%r1+4], %r2", { 0x000000e1000421c3 }, 1 },
	{ "lock cmpxchg [%r10-8], %r1", { 0x000000f1fff81adb }, 1 },
	{ "lock   fetch   and [%r10-8], %r1", { 0x00000051fff81adb }, 1 },
	{ "ldabsw 12", { 0x0000000c00000020 }, 1 },
	{ "ldabsb -1", { 0xffffffff00000030 }, 1 },
	{ "ldindh %r3, 2", { 0x0000000200003048 }, 1 },
	{ "ja +3", { 0x0000000000030005 }, 1 },
	{ "ja -2", { 0x00000000fffe0005 }, 1 },
	{ "ja32 -1", { 0xffffffff00000006 }, 1 },
	{ "gotol +70000", { 0x0001117000000006 }, 1 },
	{ "jne32 %r1, 0x2211, +1", { 0x0000221100010156 }, 1 },
	{ "jeq %r1, %r2, -1", { 0x00000000ffff211d }, 1 },
	{ "jsle32 %r3, -5, +0", { 0xfffffffb000003d6 }, 1 },
	{ "call 5", { 0x0000000500000085 }, 1 },
	{ "call %r2", { 0x000000000000028d }, 1 },
	{ "call local -1", { 0xffffffff00001085 }, 1 },
	{ "exit", { 0x0000000000000095 }, 1 },
	{ ".insn 0x0000000100010007", { 0x0000000100010007 }, 1 },
	{ "L: exit # label and comment on the same line", { 0x95 }, 1 },
};

static void test_encodings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(encodings) / sizeof(encodings[0]); i++) {
		const struct encoding *e = &encodings[i];
		struct bpf_insn *insns;
		size_t cnt;

		assemble_ok(e->text, &insns, &cnt);
		if (cnt != e->cnt)
			fail_msg("`%s`: %zu slots, expected %zu", e->text, cnt, e->cnt);
		for (size_t j = 0; j < cnt; j++)
			if (isa_insn_to_word(&insns[j]) != e->words[j])
				fail_msg("`%s` slot %zu: 0x%016" PRIx64 ", expected 0x%016" PRIx64,
					 e->text, j, isa_insn_to_word(&insns[j]), e->words[j]);
		assert_true(roundtrip_ok(e->text, insns, cnt));
		free(insns);
	}
}

/* Assembles `text` and checks one slot's offset or imm. */
static void check_slot(const char *text, size_t slot, int16_t off, int32_t imm)
{
	struct bpf_insn *insns;
	size_t cnt;

	assemble_ok(text, &insns, &cnt);
	assert_true(slot < cnt);
	if (insns[slot].off != off || insns[slot].imm != imm)
		fail_msg("`%s` slot %zu: off %d imm %d, expected off %d imm %d", text, slot,
			 insns[slot].off, insns[slot].imm, off, imm);
	assert_true(roundtrip_ok(text, insns, cnt));
	free(insns);
}

static void test_labels(void **state)
{
	(void)state;
	check_slot("ja L\nexit\nL:\nexit", 0, 1, 0);
	check_slot("L: mov %r0, 0\nja L\n", 1, -2, 0);
	check_slot("mov %r0, 0\nja32 target\nexit\ntarget:\nexit", 1, 0, 1);
	check_slot("call local func1\nexit\nfunc1:\nmov %r0, 1\nexit", 0, 0, 1);
	check_slot("lddw %r1, func cb\nexit\ncb:\nexit", 0, 0, 2);
	check_slot("lddw %r1, func cb+4\nexit\ncb:\nexit", 1, 0, 4);
	/* a lddw takes two slots */
	check_slot("ja L\nlddw %r0, 1\nL:\nexit", 0, 2, 0);
	/* `exit` names the first exit instruction unless defined as a label */
	check_slot("jeq %r1, 0, exit\nmov %r0, 1\nexit\nexit", 0, 1, 0);
	check_slot("jeq %r1, 0, exit\nexit\nexit:\nexit", 0, 1, 0);
	check_slot("jne %r1, %r2, ok\nexit\nok:\nexit", 0, 1, 0);
}

static void test_empty_and_comments(void **state)
{
	struct bpf_insn *insns;
	size_t cnt;
	char *text;

	(void)state;
	assemble_ok("", &insns, &cnt);
	assert_int_equal(cnt, 0);
	free(insns);
	assemble_ok("# nothing\n\n   \t\n# more nothing", &insns, &cnt);
	assert_int_equal(cnt, 0);
	free(insns);
	assemble_ok("  mov %r0, 1 # set\r\n\texit\t", &insns, &cnt);
	assert_int_equal(cnt, 2);
	free(insns);
	assert_int_equal(uebpf_disasm(NULL, 0, &text, NULL), 0);
	assert_string_equal(text, "");
	free(text);
}

/* ------------------------------------------------------------- errors */

struct bad_asm {
	const char *text;
	int line;
	const char *expect;  /* text the message must contain */
};

static const struct bad_asm bad_asm[] = {
	{ "mov %r0, 1\nldxq %r0, %r1", 2, "ldxq" },
	{ "or %r0, %r50", 1, "%r50" },
	{ "mov %r11, 1", 1, "%r11" },
	{ "mov r1, 1", 1, "register" },
	{ "lddw %r0\nexit", 1, "operands" },
	{ "exit\nlock or [%r10-8]", 2, "operands for lock" },
	{ "lock", 1, "operands for lock" },
	{ "lock nand [%r10-8], %r1", 1, "lock nand" },
	{ "mov %r0", 1, "operands" },
	{ "mov %r0, 1, 2", 1, "operands" },
	{ "exit %r0", 1, "operands" },
	{ "mov %r0,", 1, "empty operand" },
	{ "ldxb %r0, %r1", 1, "memory operand" },
	{ "stxb %r1, %r0", 1, "memory operand" },
	{ "ldxb %r0, [%r1+0x10000]", 1, "16 bits" },
	{ "ldxb %r0, [%r1+32768]", 1, "16 bits" },
	{ "ldxb %r0, [%r1-32769]", 1, "16 bits" },
	{ "ldxb %r0, [%r1+x]", 1, "not a number" },
	{ "mov32 %r0, 2147483648", 1, "32 bits" },
	{ "mov32 %r0, -2147483649", 1, "32 bits" },
	{ "mov32 %r0, 0x100000000", 1, "32 bits" },
	{ "mov %r0, 12abc", 1, "not a number" },
	{ "lddw %r0, 0x10000000000000000", 1, "64 bits" },
	{ "mov %r0, 99999999999999999999", 1, "32 bits" },
	{ "lddw %r0, bogus 1", 1, "unknown lddw kind" },
	{ "ja NOT_A_LABEL\nexit", 1, "undefined label `NOT_A_LABEL`" },
	{ "exit\ncall local nowhere", 2, "undefined label" },
	{ "ja +32768", 1, "16 bits" },
	{ "ja 3", 1, "label or a relative offset" },
	{ "L:\nL:\nexit", 2, "already defined on line 1" },
	{ "1abc:\nexit", 1, "label name" },
	{ ".insn 1, 2", 1, ".insn takes 1 operand" },
	{ "call local", 1, "not a number" },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_asm) / sizeof(bad_asm[0]); i++) {
		const struct bad_asm *b = &bad_asm[i];
		struct uebpf_error err = { 0 };
		struct bpf_insn *insns = (struct bpf_insn *)1;
		size_t cnt = 99;
		char line[32];
		int ret = uebpf_asm(b->text, &insns, &cnt, &err);

		if (ret != -EINVAL)
			fail_msg("`%s`: returned %d, expected -EINVAL", b->text, ret);
		assert_null(insns);
		assert_int_equal(cnt, 0);
		assert_int_equal(err.code, -EINVAL);
		snprintf(line, sizeof(line), "line %d: `", b->line);
		if (!strstr(err.msg, line) || !strstr(err.msg, b->expect))
			fail_msg("`%s`: message `%s` lacks `%s` or `%s`", b->text, err.msg, line,
				 b->expect);
	}
}

/* `first` jumps to a label 33000 instructions further down. */
static char *far_program(const char *first)
{
	size_t n = 33000;
	char *text = malloc(64 + n * 12), *p = text;

	assert_non_null(text);
	p += sprintf(p, "%s far\n", first);
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "mov %%r0, 1\n");
	sprintf(p, "far:\nexit\n");
	return text;
}

static void test_jump_too_far(void **state)
{
	struct uebpf_error err = { 0 };
	struct bpf_insn *insns;
	size_t cnt;
	char *text = far_program("ja");

	(void)state;
	assert_int_equal(uebpf_asm(text, &insns, &cnt, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "line 1:"));
	assert_non_null(strstr(err.msg, "ja32"));
	free(text);
	/* gotol reaches it */
	text = far_program("ja32");
	assemble_ok(text, &insns, &cnt);
	assert_int_equal(insns[0].imm, 33000);
	assert_true(roundtrip_ok("far gotol", insns, cnt));
	free(insns);
	free(text);
}

/* ------------------------------------------------------- disassembler */

static struct bpf_insn word(uint64_t w)
{
	return isa_insn_from_word(w);
}

static void test_disasm_text(void **state)
{
	const struct bpf_insn prog[] = {
		word(0x00000000000100a5),        /* jlt %r0, 0, +1 */
		word(0x0000000100001085),        /* call local +1 */
		word(0x0000000000000095),        /* exit */
		word(0x0000000200000118),        /* lddw %r1, 2 */
		word(0x0000000000000000),
		word(0x0000000000000095),        /* exit */
	};
	struct uebpf_error err = { 0 };
	char *text;

	(void)state;
	assert_int_equal(uebpf_disasm(prog, 6, &text, &err), 0);
	assert_string_equal(text,
			    "jlt %r0, 0, L2\n"
			    "call local L3\n"
			    "L2:\n"
			    "exit\n"
			    "L3:\n"
			    "lddw %r1, 0x2\n"
			    "exit\n");
	free(text);
	assert_true(roundtrip_ok("disasm text", prog, 6));
}

/* Targets that cannot carry a label: outside the program, or the second
 * slot of a lddw. They stay relative and still round-trip. */
static void test_disasm_odd_targets(void **state)
{
	const struct bpf_insn prog[] = {
		word(0x0000000000020005),        /* ja +2: second slot of the lddw */
		word(0x0000000000640005),        /* ja +100: outside */
		word(0x0000000700000018),        /* lddw %r0, 7 */
		word(0x0000000000000000),
		word(0xfffffff600000006),        /* ja32 -10: before the start */
		word(0x0000000000000095),
	};
	struct uebpf_error err = { 0 };
	char *text;

	(void)state;
	assert_int_equal(uebpf_disasm(prog, 6, &text, &err), 0);
	assert_non_null(strstr(text, "ja +2\n"));
	assert_non_null(strstr(text, "ja +100\n"));
	assert_non_null(strstr(text, "ja32 -10\n"));
	free(text);
	assert_true(roundtrip_ok("odd targets", prog, 6));
}

static void test_disasm_invalid(void **state)
{
	const struct bpf_insn prog[] = {
		word(0x0000000100010007),        /* add with offset 1 */
		word(0x00000000000000ff),        /* unknown opcode */
		word(0x0000000100000018),        /* lddw whose second slot is broken */
		word(0x0000000000000095),
		word(0x0000000000000b07),        /* add to r11 */
		word(0x0000000000000018),        /* lddw cut in half */
	};
	struct uebpf_error err = { 0 };
	char *text;

	(void)state;
	assert_int_equal(uebpf_disasm(prog, 6, &text, &err), 0);
	assert_non_null(strstr(text, ".insn 0x0000000100010007 # invalid: offset must be 0\n"));
	assert_non_null(strstr(text, ".insn 0x00000000000000ff"));
	assert_non_null(strstr(text, ".insn 0x0000000100000018"));
	assert_non_null(strstr(text, "\nexit\n"));
	assert_non_null(strstr(text, ".insn 0x0000000000000b07"));
	assert_non_null(strstr(text, ".insn 0x0000000000000018 # invalid: lddw is cut in half"));
	free(text);
	assert_true(roundtrip_ok("invalid", prog, 6));
}

static void test_format_insn(void **state)
{
	const struct bpf_insn prog[] = {
		word(0x0000000000030005),        /* ja +3 */
		word(0x00000000fffe0015),        /* jeq %r0, 0, -2 */
		word(0x0000000100010007),        /* add with offset: shown anyway */
		word(0x0000000500001085),        /* call local +5 */
		word(0x00000000000000ff),
		word(0x0000000000000018),        /* lddw without second slot */
	};
	char buf[96];

	(void)state;
	isa_format_insn(prog, 6, 0, buf, sizeof(buf));
	assert_string_equal(buf, "ja +3");
	isa_format_insn(prog, 6, 1, buf, sizeof(buf));
	assert_string_equal(buf, "jeq %r0, 0, -2");
	isa_format_insn(prog, 6, 2, buf, sizeof(buf));
	assert_string_equal(buf, "add %r0, 1");
	isa_format_insn(prog, 6, 3, buf, sizeof(buf));
	assert_string_equal(buf, "call local +5");
	isa_format_insn(prog, 6, 4, buf, sizeof(buf));
	assert_string_equal(buf, ".insn 0x00000000000000ff");
	isa_format_insn(prog, 6, 5, buf, sizeof(buf));
	assert_string_equal(buf, "lddw %r0, 0x0");
	assert_int_equal(isa_format_insn(prog, 6, 0, buf, 4), 5);
	assert_string_equal(buf, "ja ");
}

/* Random programs of (mostly) valid opcodes with random fields: whatever
 * the disassembler prints, valid or `.insn`, must reassemble exactly. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int32_t random_value(void)
{
	static const int32_t interesting[] = { 0, 1, -1, 2, 8, 16, 32, 64, 0x7fffffff,
					       INT32_MIN, 0xe1, 0xf1, 0x51, 3 };

	if (rng() % 2)
		return interesting[rng() % (sizeof(interesting) / sizeof(interesting[0]))];
	return (int32_t)rng();
}

static void test_random_roundtrip(void **state)
{
	uint8_t codes[256];
	size_t nr_codes = 0;
	unsigned valid = 0, total = 0;

	(void)state;
	/* every opcode the table knows, plus a few unknown ones */
	for (unsigned c = 0; c < 256; c++) {
		struct bpf_insn probe = { .code = (uint8_t)c };
		bool known = false;

		for (int off = 0; off <= 32 && !known; off += 8) {
			for (int imm = 0; imm <= 0xf1 && !known; imm++) {
				probe.off = (int16_t)off;
				probe.imm = imm;
				known = isa_mnemonic_for_insn(&probe) != NULL;
			}
		}
		if (known || c % 37 == 0)
			codes[nr_codes++] = (uint8_t)c;
	}
	assert_true(nr_codes > 100);

	for (int prog_nr = 0; prog_nr < 3000; prog_nr++) {
		struct bpf_insn prog[24];
		size_t cnt = 1 + rng() % 24;
		char who[32];

		for (size_t i = 0; i < cnt; i++) {
			struct bpf_insn *insn = &prog[i];
			unsigned shape = rng() % 4;

			*insn = (struct bpf_insn){ .code = codes[rng() % nr_codes] };
			insn->dst_reg = rng() % 11;
			if (shape >= 1)
				insn->src_reg = rng() % (shape == 3 ? 16 : 11);
			if (shape >= 2 || rng() % 2)
				insn->off = (int16_t)(rng() % 2 ? (int16_t)random_value()
							       : (int16_t)(rng() % 8 * 8) - 4);
			if (shape != 1)
				insn->imm = random_value();
			if (rng() % 3 == 0)
				insn->off = (int16_t)(rng() % (2 * cnt + 1) - cnt);
			if (isa_is_lddw(insn) && i + 1 < cnt) {
				i++;
				prog[i] = (struct bpf_insn){ .imm = random_value() };
				insn->src_reg = rng() % 7;
				insn->off = 0;
			}
		}
		for (size_t i = 0; i < cnt; i++) {
			const struct bpf_insn *next = i + 1 < cnt ? &prog[i + 1] : NULL;

			valid += isa_check_encoding(&prog[i], next, NULL, 0) == 0;
			total++;
		}
		snprintf(who, sizeof(who), "random program %d", prog_nr);
		if (!roundtrip_ok(who, prog, cnt))
			fail();
	}
	print_message("%u random instructions, %u validly encoded\n", total, valid);
	assert_true(valid > total / 10);
}

/* Damaged assembly (bytes replaced, deleted, duplicated) is assembled or
 * refused with a line number, never crashes; what assembles round-trips. */
static void test_mutated_text(void **state)
{
	static const char alphabet[] = "%r0123456789abcdefx[]+-,: #\n\tlocalfuncmap_fd.insn";
	char **names = list_vectors("tests");
	unsigned assembled = 0, refused = 0;

	(void)state;
	if (!names) {
		conformance_missing = true;
		skip();
	}
	for (size_t i = 0; names[i]; i++) {
		struct uebpf_vector v;

		if (!load_vector("tests", names[i], &v))
			fail();
		for (int round = 0; v.asm_text && round < 20; round++) {
			size_t len = strlen(v.asm_text);
			char *text = malloc(2 * len + 2);
			struct uebpf_error err = { 0 };
			struct bpf_insn *insns = NULL;
			size_t cnt = 0;

			assert_non_null(text);
			memcpy(text, v.asm_text, len + 1);
			for (int edit = 0; edit < 1 + (int)(rng() % 4) && len; edit++) {
				size_t at = rng() % len;

				switch (rng() % 3) {
				case 0:
					text[at] = alphabet[rng() % (sizeof(alphabet) - 1)];
					break;
				case 1:
					memmove(text + at, text + at + 1, len - at);
					len--;
					break;
				default:
					memmove(text + at + 1, text + at, len - at + 1);
					len++;
					break;
				}
			}
			if (uebpf_asm(text, &insns, &cnt, &err) == 0) {
				assembled++;
				if (!roundtrip_ok(text, insns, cnt))
					fail_msg("mutated %s did not round-trip", names[i]);
			} else {
				refused++;
				if (!strstr(err.msg, "line "))
					fail_msg("error without a line: %s", err.msg);
			}
			free(insns);
			free(text);
		}
		uebpf_vector_free(&v);
	}
	free_names(names);
	print_message("mutated programs: %u assembled, %u refused\n", assembled, refused);
	assert_true(assembled > 0 && refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance_vectors_roundtrip),
		cmocka_unit_test(test_negative_vectors),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_jump_too_far),
		cmocka_unit_test(test_disasm_text),
		cmocka_unit_test(test_disasm_odd_targets),
		cmocka_unit_test(test_disasm_invalid),
		cmocka_unit_test(test_format_insn),
		cmocka_unit_test(test_random_roundtrip),
		cmocka_unit_test(test_mutated_text),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	if (!failed && conformance_missing) {
		printf("conformance vectors not found (set UEBPF_CONFORMANCE_DIR or put them in "
		       "<source>/../shared/conformance): vector tests skipped\n");
		return 77;
	}
	return failed;
}
