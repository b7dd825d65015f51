/* SPDX-License-Identifier: MIT */
/*
 * Runs the verifier's C corpus: libbpf-style programs in
 * tests/verifier/c/{reject,accept}/NAME.bpf.c, compiled by clang-19 into
 * OBJ_DIR/{reject,accept}/NAME.bpf.o (tests/verifier/c.cmake). Each object is
 * opened with the ELF loader and every program verified with the object's
 * maps and BTF line info, as `uebpf verify` does.
 *
 * The expectation is in the source's leading comment, one key per line:
 *
 *    * expect: refuse | accept
 *    * reason: text the refusal's reason must contain (case-insensitive)
 *    * at: text the refused instruction's source line must contain
 *    * prog: the program the expectation is about (default: every program)
 *    * strict: yes                  verify with the unprivileged rules
 *
 * A refusal must also name a source position in NAME.bpf.c (line info), so
 * every message points at the C line.
 *
 * Usage: run_c_corpus SRC_DIR OBJ_DIR [-v] [NAME.bpf.c...]
 * Exit 0 when every program behaves, 77 when the objects were not built.
 */
#define _GNU_SOURCE /* strcasestr, asprintf */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "uebpf/object.h"
#include "uebpf/verifier.h"

struct expectation {
	bool accept, have_expect, strict;
	char reason[256];
	char at[256];
	char prog[64];
};

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

/* Reads the `key: value` lines of the comments before the first #include. */
static int parse_expectation(const char *path, struct expectation *x)
{
	FILE *f = fopen(path, "r");
	char line[512];

	memset(x, 0, sizeof(*x));
	if (!f) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p = trim(line), *colon, *key, *val;

		if (!strncmp(p, "#include", 8))
			break;
		if (*p == '/' && p[1] == '*')
			p += 2;
		while (*p == '*' || *p == ' ')
			p++;
		colon = strchr(p, ':');
		if (!colon)
			continue;
		*colon = 0;
		key = trim(p);
		val = trim(colon + 1);
		if (strlen(val) >= 2 && !strcmp(val + strlen(val) - 2, "*/"))
			val[strlen(val) - 2] = 0, val = trim(val);
		if (!strcmp(key, "expect")) {
			x->have_expect = true;
			x->accept = !strcmp(val, "accept");
		} else if (!strcmp(key, "reason")) {
			snprintf(x->reason, sizeof(x->reason), "%s", val);
		} else if (!strcmp(key, "at")) {
			snprintf(x->at, sizeof(x->at), "%s", val);
		} else if (!strcmp(key, "prog")) {
			snprintf(x->prog, sizeof(x->prog), "%s", val);
		} else if (!strcmp(key, "strict")) {
			x->strict = !strcmp(val, "yes");
		}
	}
	fclose(f);
	if (!x->have_expect) {
		fprintf(stderr, "%s: no 'expect:' line in the leading comment\n", path);
		return -1;
	}
	if (!x->accept && !x->reason[0]) {
		fprintf(stderr, "%s: a refused program needs a 'reason:' line\n", path);
		return -1;
	}
	return 0;
}

/* The object's maps as the verifier sees them (inner-map shapes included). */
struct vmaps {
	struct uebpf_verify_map *maps, *inner;
	size_t n;
};

static int collect_maps(struct uebpf_object *obj, struct vmaps *m)
{
	m->n = uebpf_object_map_cnt(obj);
	m->maps = calloc(m->n ? m->n : 1, sizeof(*m->maps));
	m->inner = calloc(m->n ? m->n : 1, sizeof(*m->inner));
	if (!m->maps || !m->inner)
		return -ENOMEM;
	for (size_t i = 0; i < m->n; i++) {
		const struct uebpf_object_map *om = uebpf_object_map_at(obj, i);
		const struct uebpf_object_map *im = uebpf_object_map_inner(om);
		struct uebpf_map_spec spec = { .sz = sizeof(spec) };

		uebpf_object_map_spec(om, &spec);
		m->maps[i] = (struct uebpf_verify_map){
			.name = uebpf_object_map_name(om), .type = spec.type,
			.key_size = spec.key_size, .value_size = spec.value_size,
			.max_entries = spec.max_entries, .map_flags = spec.map_flags,
		};
		if (im) {
			struct uebpf_map_spec in = { .sz = sizeof(in) };

			uebpf_object_map_spec(im, &in);
			m->inner[i] = (struct uebpf_verify_map){
				.name = uebpf_object_map_name(im), .type = in.type,
				.key_size = in.key_size, .value_size = in.value_size,
				.max_entries = in.max_entries, .map_flags = in.map_flags,
			};
			m->maps[i].inner_map = &m->inner[i];
		}
	}
	return 0;
}

/* Verifies one program; *res receives the result. */
static int verify_prog(struct uebpf_object_prog *p, const struct vmaps *m, bool strict,
		       struct uebpf_verify_result **res, struct uebpf_error *err)
{
	struct uebpf_verify_opts opts = { .sz = sizeof(opts) };
	const struct uebpf_line_info *li;
	struct uebpf_insn_line *lines = NULL;
	const struct bpf_insn *insns;
	size_t cnt, nr_lines;
	int ret;

	insns = uebpf_object_prog_insns(p, &cnt);
	opts.prog_type = uebpf_object_prog_type(p);
	opts.expected_attach_type = uebpf_object_prog_expected_attach_type(p);
	opts.strict = strict;
	opts.maps = m->maps;
	opts.nr_maps = m->n;
	nr_lines = uebpf_object_prog_line_info(p, &li);
	if (nr_lines) {
		lines = calloc(nr_lines, sizeof(*lines));
		if (!lines)
			return -ENOMEM;
		for (size_t k = 0; k < nr_lines; k++)
			lines[k] = (struct uebpf_insn_line){
				.insn_idx = (uint32_t)li[k].insn_idx, .line = li[k].line,
				.col = li[k].col, .file = li[k].file, .text = li[k].source,
			};
		opts.lines = lines;
		opts.nr_lines = nr_lines;
	}
	ret = uebpf_verify_insns(insns, cnt, &opts, res, err);
	free(lines);
	return ret;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* Checks a refusal against the expectation; prints why not. */
static bool refusal_ok(const char *src, const struct expectation *x,
		       const struct uebpf_verify_result *res, const char *what)
{
	const struct uebpf_verify_refusal *r = uebpf_verify_result_refusal(res);

	if (!r) {
		fprintf(stderr, "FAIL %s: expected a refusal containing '%s', but it was accepted\n",
			what, x->reason);
		return false;
	}
	if (!strcasestr(r->reason, x->reason)) {
		fprintf(stderr, "FAIL %s: expected a reason containing '%s', got:\n%s", what,
			x->reason, uebpf_verify_result_message(res));
		return false;
	}
	if (!r->source[0] || !strstr(r->source, base_name(src))) {
		fprintf(stderr, "FAIL %s: the refusal names no source line of %s:\n%s", what,
			base_name(src), uebpf_verify_result_message(res));
		return false;
	}
	if (x->at[0] && !strstr(r->source, x->at)) {
		fprintf(stderr, "FAIL %s: expected the refused line to contain '%s', got:\n%s", what,
			x->at, uebpf_verify_result_message(res));
		return false;
	}
	return true;
}

/* Returns 0 when the object behaves as its source says. */
static int run_one(const char *src, const char *obj_path, bool verbose, int *programs)
{
	struct uebpf_object_opts oopts = { .sz = sizeof(oopts) };
	struct uebpf_object *obj = NULL;
	struct uebpf_error err;
	struct expectation x;
	struct vmaps m = { 0 };
	size_t matched = 0;
	int failures = 0;

	if (parse_expectation(src, &x))
		return 1;
	if (uebpf_object_open_file(obj_path, &oopts, &obj, &err)) {
		fprintf(stderr, "FAIL %s: cannot open %s: %s\n", src, obj_path, err.msg);
		return 1;
	}
	if (collect_maps(obj, &m)) {
		fprintf(stderr, "%s: out of memory\n", src);
		failures = 1;
		goto out;
	}
	for (size_t i = 0; i < uebpf_object_prog_cnt(obj); i++) {
		struct uebpf_object_prog *p = uebpf_object_prog_at(obj, i);
		struct uebpf_verify_result *res = NULL;
		char what[512];
		int vret;
		bool ok;

		if (x.prog[0] && strcmp(x.prog, uebpf_object_prog_name(p)))
			continue;
		matched++;
		(*programs)++;
		snprintf(what, sizeof(what), "%s:%s", base_name(src), uebpf_object_prog_name(p));
		vret = verify_prog(p, &m, x.strict, &res, &err);
		if (!res) {
			fprintf(stderr, "FAIL %s: the verifier failed: %s\n", what, err.msg);
			failures++;
			continue;
		}
		if (x.accept) {
			ok = vret == 0;
			if (!ok)
				fprintf(stderr, "FAIL %s: expected acceptance, got:\n%s", what,
					uebpf_verify_result_message(res));
		} else {
			ok = refusal_ok(src, &x, res, what);
		}
		if (ok && verbose) {
			const struct uebpf_verify_stats *st = uebpf_verify_result_stats(res);

			printf("ok   %-56s %6llu insns %5llu states %8.1f us\n", what,
			       (unsigned long long)st->insns_processed,
			       (unsigned long long)st->states_explored, st->time_ns / 1000.0);
			if (!x.accept)
				printf("%s", uebpf_verify_result_message(res));
		}
		failures += !ok;
		uebpf_verify_result_destroy(res);
	}
	if (!matched) {
		fprintf(stderr, "FAIL %s: no program%s%s in %s\n", src, x.prog[0] ? " named " : "",
			x.prog, obj_path);
		failures++;
	}
out:
	free(m.maps);
	free(m.inner);
	uebpf_object_destroy(obj);
	return failures;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every NAME.bpf.c of SRC_DIR/sub against OBJ_DIR/sub/NAME.bpf.o. */
static int run_dir(const char *src_dir, const char *obj_dir, const char *sub, bool verbose,
		   int *files, int *programs)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int failures = 0;

	snprintf(dir, sizeof(dir), "%s/%s", src_dir, sub);
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char **p;

		if (len < 7 || strcmp(e->d_name + len - 6, ".bpf.c"))
			continue;
		p = realloc(names, (n + 1) * sizeof(*names));
		if (!p)
			break;
		names = p;
		names[n] = strdup(e->d_name);
		if (!names[n])
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char *src = NULL, *obj = NULL;
		size_t len = strlen(names[i]);

		if (asprintf(&src, "%s/%s", dir, names[i]) < 0 ||
		    asprintf(&obj, "%s/%s/%.*s.bpf.o", obj_dir, sub, (int)(len - 6), names[i]) < 0) {
			failures++;
		} else {
			failures += run_one(src, obj, verbose, programs) != 0;
		}
		free(src);
		free(obj);
		free(names[i]);
	}
	free(names);
	*files += (int)n;
	return failures;
}

int main(int argc, char **argv)
{
	bool verbose = false;
	int failures = 0, files = 0, programs = 0, first_file = 0;
	struct stat sb;

	if (argc < 3) {
		fprintf(stderr, "usage: %s SRC_DIR OBJ_DIR [-v] [reject/NAME.bpf.c...]\n", argv[0]);
		return 2;
	}
	if (stat(argv[2], &sb) || !S_ISDIR(sb.st_mode)) {
		printf("%s does not exist: the C corpus was not compiled (clang-19 missing?); skipping\n",
		       argv[2]);
		return 77;
	}
	for (int i = 3; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!first_file)
			first_file = i;
	}
	if (first_file) {
		for (int i = first_file; i < argc; i++) {
			char *src = NULL, *obj = NULL;
			size_t len = strlen(argv[i]);

			if (!strcmp(argv[i], "-v"))
				continue;
			if (len < 7 || strcmp(argv[i] + len - 6, ".bpf.c")) {
				fprintf(stderr, "%s: expected SUBDIR/NAME.bpf.c\n", argv[i]);
				failures++;
				continue;
			}
			if (asprintf(&src, "%s/%s", argv[1], argv[i]) >= 0 &&
			    asprintf(&obj, "%s/%.*s.bpf.o", argv[2], (int)(len - 6), argv[i]) >= 0)
				failures += run_one(src, obj, true, &programs) != 0;
			else
				failures++;
			free(src);
			free(obj);
			files++;
		}
	} else {
		failures += run_dir(argv[1], argv[2], "accept", verbose, &files, &programs);
		failures += run_dir(argv[1], argv[2], "reject", verbose, &files, &programs);
	}
	printf("verifier C corpus: %d files, %d programs, %d failures\n", files, programs, failures);
	return failures ? 1 : 0;
}
