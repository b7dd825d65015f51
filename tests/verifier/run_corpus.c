/* SPDX-License-Identifier: MIT */
/*
 * Runs the verifier corpus: every .s file in tests/verifier/accept must be
 * accepted and every one in tests/verifier/reject refused with the reason
 * its header names. Header lines (comments at the top of each file):
 *
 *   # type: xdp                      program type name (default raw)
 *   # mem: 64                        raw programs: buffer size
 *   # strict: yes                    unprivileged rules
 *   # attach: 24                     expected attach type (number)
 *   # map: NAME TYPE KEY VALUE ENTRIES [rdonly|wronly]   (repeatable; lddw imm = order)
 *   # expect: accept | refuse
 *   # reason: text the refusal must contain
 *   # insn: N                        the instruction the refusal must name
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

#include "uebpf/asm.h"
#include "uebpf/verifier.h"

#define MAX_MAPS 16

struct spec {
	struct uebpf_verify_opts opts;
	struct uebpf_verify_map maps[MAX_MAPS];
	char map_names[MAX_MAPS][32];
	bool expect_accept, have_expect;
	char reason[400];
	long insn;
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = 0;
	fclose(f);
	return buf;
}

static uint32_t map_type(const char *s)
{
	static const struct { const char *name; uint32_t type; } t[] = {
		{ "hash", BPF_MAP_TYPE_HASH }, { "array", BPF_MAP_TYPE_ARRAY },
		{ "prog_array", BPF_MAP_TYPE_PROG_ARRAY },
		{ "perf_event_array", BPF_MAP_TYPE_PERF_EVENT_ARRAY },
		{ "percpu_hash", BPF_MAP_TYPE_PERCPU_HASH },
		{ "percpu_array", BPF_MAP_TYPE_PERCPU_ARRAY },
		{ "stack_trace", BPF_MAP_TYPE_STACK_TRACE }, { "lru_hash", BPF_MAP_TYPE_LRU_HASH },
		{ "devmap", BPF_MAP_TYPE_DEVMAP }, { "queue", BPF_MAP_TYPE_QUEUE },
		{ "stack", BPF_MAP_TYPE_STACK }, { "ringbuf", BPF_MAP_TYPE_RINGBUF },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(t[i].name, s))
			return t[i].type;
	return UINT32_MAX;
}

static int parse_header(const char *path, const char *text, struct spec *s)
{
	const char *line = text;

	memset(s, 0, sizeof(*s));
	s->opts.sz = sizeof(s->opts);
	s->opts.prog_type = UEBPF_PROG_TYPE_RAW;
	s->opts.maps = s->maps;
	s->insn = -1;
	while (*line) {
		const char *end = strchr(line, '\n');
		char buf[512], key[32], val[400];
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = 0;
		line = end ? end + 1 : line + len;
		if (buf[0] != '#')
			continue;
		if (sscanf(buf, "# %31[a-z_]: %399[^\n]", key, val) != 2)
			continue;
		if (!strcmp(key, "type")) {
			s->opts.prog_type = uebpf_prog_type_from_name(val);
			if (!s->opts.prog_type) {
				fprintf(stderr, "%s: unknown program type '%s'\n", path, val);
				return -1;
			}
		} else if (!strcmp(key, "mem")) {
			s->opts.mem_size = strtoul(val, NULL, 0);
		} else if (!strcmp(key, "strict")) {
			s->opts.strict = !strcmp(val, "yes");
		} else if (!strcmp(key, "attach")) {
			s->opts.expected_attach_type = (uint32_t)strtoul(val, NULL, 0);
		} else if (!strcmp(key, "map")) {
			struct uebpf_verify_map *m = &s->maps[s->opts.nr_maps];
			char name[32], type[32], flags[32] = "";
			int n;

			if (s->opts.nr_maps == MAX_MAPS)
				return -1;
			n = sscanf(val, "%31s %31s %u %u %u %31s", name, type, &m->key_size,
				   &m->value_size, &m->max_entries, flags);
			if (n < 5 || (m->type = map_type(type)) == UINT32_MAX) {
				fprintf(stderr, "%s: bad map line '%s'\n", path, val);
				return -1;
			}
			snprintf(s->map_names[s->opts.nr_maps], sizeof(s->map_names[0]), "%s", name);
			m->name = s->map_names[s->opts.nr_maps];
			if (!strcmp(flags, "rdonly"))
				m->map_flags = BPF_F_RDONLY_PROG;
			else if (!strcmp(flags, "wronly"))
				m->map_flags = BPF_F_WRONLY_PROG;
			s->opts.nr_maps++;
		} else if (!strcmp(key, "expect")) {
			s->have_expect = true;
			s->expect_accept = !strcmp(val, "accept");
		} else if (!strcmp(key, "reason")) {
			snprintf(s->reason, sizeof(s->reason), "%s", val);
		} else if (!strcmp(key, "insn")) {
			s->insn = strtol(val, NULL, 0);
		}
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
	struct spec s;
	size_t cnt;
	char *text = read_file(path);
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
