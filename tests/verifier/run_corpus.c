/* SPDX-License-Identifier: MIT */
/*
 * Runs the verifier corpus: every .s file in tests/verifier/accept must be
 * accepted and every one in tests/verifier/reject refused with the reason
 * its header names. The header lines are described in corpus_spec.h (maps
 * are repeatable; a lddw's imm is the map's position).
 *
 * Usage: run_corpus DIR [-v] [FILE...]. Exit 0 when every file behaves.
 */
#define _GNU_SOURCE /* strcasestr, asprintf */
#include <dirent.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "corpus_spec.h"
#include "uebpf/asm.h"
#include "uebpf/verifier.h"

/* The header, with the expectation lines every corpus file must have. */
static int parse_header(const char *path, const char *text, struct corpus_spec *s)
{
	char why[480];

	if (corpus_parse_header(text, s, why, sizeof(why))) {
		fprintf(stderr, "%s: %s\n", path, why);
		return -1;
	}
	if (!s->have_expect) {
		fprintf(stderr, "%s: no '# expect:' line\n", path);
		return -1;
	}
	if (!s->expect_accept && !s->reason[0]) {
		fprintf(stderr, "%s: a refused program needs a '# reason:' line\n", path);
		return -1;
	}
	return 0;
}

/* Returns 0 when the file behaves as its header says. */
static int run_one(const char *path, bool verbose, uint64_t *total_ns)
{
	struct uebpf_error err;
	struct uebpf_verify_result *res = NULL;
	struct bpf_insn *insns = NULL;
	struct corpus_spec s;
	size_t cnt;
	char *text = corpus_read_file(path);
	int ret = -1, vret;

	if (!text) {
		fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
		return -1;
	}
	if (parse_header(path, text, &s))
		goto out;
	if (uebpf_asm(text, &insns, &cnt, &err)) {
		fprintf(stderr, "%s: does not assemble: %s\n", path, err.msg);
		goto out;
	}
	vret = uebpf_verify_insns(insns, cnt, &s.opts, &res, &err);
	if (!res) {
		fprintf(stderr, "%s: verifier failed: %s\n", path, err.msg);
		goto out;
	}
	*total_ns += uebpf_verify_result_stats(res)->time_ns;
	if (s.expect_accept) {
		if (vret) {
			fprintf(stderr, "FAIL %s: expected acceptance, got:\n%s", path,
				uebpf_verify_result_message(res));
			goto out;
		}
	} else {
		const struct uebpf_verify_refusal *r = uebpf_verify_result_refusal(res);

		if (!vret || !r) {
			fprintf(stderr, "FAIL %s: expected refusal containing '%s', but it was accepted\n",
				path, s.reason);
			goto out;
		}
		if (!strcasestr(r->reason, s.reason)) {
			fprintf(stderr, "FAIL %s: expected reason containing '%s', got:\n%s", path,
				s.reason, uebpf_verify_result_message(res));
			goto out;
		}
		if (s.insn >= 0 && r->insn_idx != s.insn) {
			fprintf(stderr, "FAIL %s: expected refusal at insn %ld, got:\n%s", path, s.insn,
				uebpf_verify_result_message(res));
			goto out;
		}
	}
	if (verbose) {
		const struct uebpf_verify_stats *st = uebpf_verify_result_stats(res);

		printf("ok   %-60s %6llu insns %5llu states %5llu pruned %8.1f us\n", path,
		       (unsigned long long)st->insns_processed,
		       (unsigned long long)st->states_explored,
		       (unsigned long long)st->states_pruned, st->time_ns / 1000.0);
		if (!s.expect_accept && verbose)
			printf("%s", uebpf_verify_result_message(res));
	}
	ret = 0;
out:
	uebpf_verify_result_destroy(res);
	free(insns);
	free(text);
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, bool verbose, int *files, uint64_t *ns)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;
	int failures = 0;

	if (!d) {
		fprintf(stderr, "cannot open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char **p;

		if (len < 3 || strcmp(e->d_name + len - 2, ".s"))
			continue;
		p = realloc(names, (n + 1) * sizeof(*names));
		if (!p)
			break;
		names = p;
		if (asprintf(&names[n], "%s/%s", dir, e->d_name) < 0)
			break;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		failures += run_one(names[i], verbose, ns) != 0;
		free(names[i]);
	}
	free(names);
	*files += (int)n;
	return failures;
}

int main(int argc, char **argv)
{
	bool verbose = false;
	int failures = 0, files = 0, first_file = 0;
	uint64_t ns = 0;
	char path[4096];

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR [-v] [FILE...]\n", argv[0]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = true;
		else if (!first_file)
			first_file = i;
	}
	if (first_file) {
		for (int i = first_file; i < argc; i++) {
			if (!strcmp(argv[i], "-v"))
				continue;
			failures += run_one(argv[i], true, &ns) != 0;
			files++;
		}
	} else {
		snprintf(path, sizeof(path), "%s/accept", argv[1]);
		failures += run_dir(path, verbose, &files, &ns);
		snprintf(path, sizeof(path), "%s/reject", argv[1]);
		failures += run_dir(path, verbose, &files, &ns);
	}
	printf("verifier corpus: %d files, %d failures, %.1f us verifying in total (%.2f us per program)\n",
	       files, failures, ns / 1000.0, files ? ns / 1000.0 / files : 0.0);
	return failures ? 1 : 0;
}
