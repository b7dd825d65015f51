/* SPDX-License-Identifier: MIT */
/*
 * The conformance runner reports every negative vector as failed, whatever
 * the loader does (they have no result), so it cannot show that the loader
 * refuses non-zero unused fields. This test does: every raw program in
 * ../shared/conformance/negative must be refused by uebpf_prog_load, with a
 * message naming instruction 0.
 */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "uebpf/uebpf.h"
#include "uebpf/vector.h"

static char negative_dir[4096];

static bool find_negative_dir(void)
{
	const char *env = getenv("UEBPF_CONFORMANCE_DIR");
	char src[2048];
	char *slash;

	if (env) {
		snprintf(negative_dir, sizeof(negative_dir), "%s/negative", env);
	} else {
		/* tests/unit/this.c -> <repo>/../shared/conformance/negative */
		snprintf(src, sizeof(src), "%s", __FILE__);
		for (int up = 0; up < 3 && (slash = strrchr(src, '/')); up++)
			*slash = '\0';
		snprintf(negative_dir, sizeof(negative_dir), "%s/../shared/conformance/negative", src);
	}
	DIR *d = opendir(negative_dir);
	if (!d)
		return false;
	closedir(d);
	return true;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return buf;
}

static void test_raw_negatives_refused_at_load(void **state)
{
	struct dirent *e;
	unsigned refused = 0;
	DIR *d;

	(void)state;
	d = opendir(negative_dir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[8192];
		struct uebpf_vector v;
		struct uebpf_error err = { 0 };
		struct uebpf_prog *prog = NULL;
		struct uebpf_prog_opts opts = { .sz = sizeof(opts), .name = e->d_name };
		char *text;

		if (!strstr(e->d_name, ".data"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", negative_dir, e->d_name);
		text = read_text(path);
		assert_int_equal(uebpf_vector_parse(text, &v, &err), 0);
		free(text);
		if (!v.raw || v.asm_text) {
			uebpf_vector_free(&v);
			continue;
		}
		if (uebpf_prog_load(v.raw, v.raw_cnt, &opts, &prog, &err) != -EINVAL)
			fail_msg("%s: a program breaking the encoding rules was loaded", e->d_name);
		if (!strstr(err.msg, "insn 0"))
			fail_msg("%s: refusal does not name the instruction: %s", e->d_name, err.msg);
		refused++;
		uebpf_vector_free(&v);
	}
	closedir(d);
	print_message("%u raw negative vectors refused at load\n", refused);
	assert_true(refused >= 45);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_negatives_refused_at_load),
	};

	if (!find_negative_dir()) {
		printf("skip: no conformance vectors at %s (set UEBPF_CONFORMANCE_DIR)\n",
		       negative_dir);
		return 77;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
