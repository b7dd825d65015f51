/* SPDX-License-Identifier: MIT */
/* `uebpf conformance PATH...`: checks eBPF conformance vectors (.data).
 *
 * A vector passes when it has a program, no unknown section and a result,
 * and then either its `error` section is met (assembling, loading or running
 * the program fails, with any message) or, without one, the program
 * assembles (to exactly its `raw` bytes when both are given), loads, runs
 * and leaves r0 equal to the result. See docs/cli.md for why a vector
 * without a result never passes. */
#define _GNU_SOURCE /* asprintf */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "uebpf/asm.h"
#include "uebpf/vector.h"

struct conf_opts {
	enum uebpf_engine engine;
	uint64_t budget;
	bool verbose;
	bool expect_fail;
};

/* One vector file and the name it is reported under. */
struct vector_file {
	char *path;
	char *name;
};

struct vector_list {
	struct vector_file *files;
	size_t cnt, cap;
};

/* What happened to the program: it ran to r0, or a stage refused it. */
struct outcome {
	bool attempted;             /* false: the vector was refused before */
	bool ran;
	bool mismatch;              /* asm and raw disagree: err.msg says how */
	uint64_t r0;
	const char *stage;          /* "assembly", "load" or "run" */
	struct uebpf_error err;
};

struct verdict {
	bool pass;
	char reason[UEBPF_ERRMSG_MAX + 256];
};

enum { EVAL_DONE = 0, EVAL_FATAL = -1 };

static void conformance_usage(FILE *out)
{
	fprintf(out,
		"usage: uebpf conformance [--engine interp|jit] [--verbose] [--expect-fail]\n"
		"                         [--budget N] PATH...\n"
		"Checks every .data vector in the given files and folders (recursively);\n"
		"prints `FAIL name: reason` per failure and ends with `N passed, N failed`.\n"
		"--expect-fail inverts each verdict (for folders of vectors that must fail).\n");
}

/* ------------------------------------------------------- collecting files */

static int add_file(struct vector_list *list, const char *path, const char *name)
{
	struct vector_file *f;
	size_t len;

	if (list->cnt == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 64;
		struct vector_file *bigger = realloc(list->files, cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		list->files = bigger;
		list->cap = cap;
	}
	f = &list->files[list->cnt];
	f->path = strdup(path);
	f->name = strdup(name);
	if (!f->path || !f->name) {
		free(f->path);
		free(f->name);
		return -ENOMEM;
	}
	len = strlen(f->name);
	if (len > 5 && strcmp(f->name + len - 5, ".data") == 0)
		f->name[len - 5] = '\0';
	list->cnt++;
	return 0;
}

static bool is_vector_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && strcmp(name + len - 5, ".data") == 0;
}

/* Adds the .data files under `dir`; `rel` is the name prefix relative to the
 * folder given on the command line. */
static int collect_dir(struct vector_list *list, const char *dir, const char *rel)
{
	struct dirent **entries;
	int n = scandir(dir, &entries, NULL, alphasort);
	int ret = 0;

	if (n < 0) {
		int code = -errno;

		fprintf(stderr, "%s: cannot read folder: %s\n", dir, strerror(-code));
		return code;
	}
	for (int i = 0; i < n; i++) {
		const char *name = entries[i]->d_name;
		char *path = NULL, *sub = NULL;
		struct stat st;

		if (ret || name[0] == '.')
			goto next;
		if (asprintf(&path, "%s/%s", dir, name) < 0 ||
		    asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", name) < 0) {
			path = sub = NULL;
			ret = -ENOMEM;
			goto next;
		}
		if (stat(path, &st) != 0)
			goto next;
		if (S_ISDIR(st.st_mode))
			ret = collect_dir(list, path, sub);
		else if (S_ISREG(st.st_mode) && is_vector_name(name))
			ret = add_file(list, path, sub);
next:
		free(path);
		free(sub);
		free(entries[i]);
	}
	free(entries);
	return ret;
}

static int collect(struct vector_list *list, const char *path)
{
	struct stat st;
	char *copy;
	int ret;

	if (stat(path, &st) != 0) {
		int code = -errno;

		fprintf(stderr, "%s: %s\n", path, strerror(-code));
		return code;
	}
	if (S_ISDIR(st.st_mode))
		return collect_dir(list, path, "");
	copy = strdup(path);
	if (!copy)
		return -ENOMEM;
	ret = add_file(list, path, basename(copy));
	free(copy);
	return ret;
}

static void free_list(struct vector_list *list)
{
	for (size_t i = 0; i < list->cnt; i++) {
		free(list->files[i].path);
		free(list->files[i].name);
	}
	free(list->files);
}

/* ------------------------------------------------------------ evaluation */

static void refused(struct outcome *o, const char *stage)
{
	o->ran = false;
	o->stage = stage;
}

/* Assembles (or takes the raw section), loads and runs the vector's program.
 * Returns non-zero only for what must stop the whole run; everything about
 * the vector itself lands in `o`. */
static int execute(const struct uebpf_vector *vec, const struct conf_opts *co,
		   const struct uebpf_helper_set *helpers, const char *name,
		   struct outcome *o)
{
	struct bpf_insn *assembled = NULL;
	const struct bpf_insn *insns = vec->raw;
	size_t cnt = vec->raw_cnt;
	struct uebpf_prog *prog = NULL;
	unsigned char *mem = NULL;
	int ret = 0;

	memset(o, 0, sizeof(*o));
	o->attempted = true;
	if (vec->asm_text) {
		if (uebpf_asm(vec->asm_text, &assembled, &cnt, &o->err)) {
			refused(o, "assembly");
			goto out;
		}
		if (vec->raw) {
			size_t common = cnt < vec->raw_cnt ? cnt : vec->raw_cnt;
			size_t i;

			for (i = 0; i < common; i++)
				if (memcmp(&assembled[i], &vec->raw[i], sizeof(*assembled)))
					break;
			if (i < common) {
				uint64_t a, r;

				memcpy(&a, &assembled[i], sizeof(a));
				memcpy(&r, &vec->raw[i], sizeof(r));
				o->mismatch = true;
				snprintf(o->err.msg, sizeof(o->err.msg),
					 "assembled bytes differ from the raw section at instruction %zu: asm gives 0x%016" PRIx64 ", raw has 0x%016" PRIx64,
					 i, a, r);
			} else if (cnt != vec->raw_cnt) {
				o->mismatch = true;
				snprintf(o->err.msg, sizeof(o->err.msg),
					 "the asm assembles to %zu instructions, the raw section has %zu",
					 cnt, vec->raw_cnt);
			}
			if (o->mismatch) {
				refused(o, "the asm/raw comparison");
				goto out;
			}
		}
		insns = assembled;
	}

	if (uebpf_prog_load(insns, cnt,
			    &(struct uebpf_prog_opts){
				    .sz = sizeof(struct uebpf_prog_opts),
				    .name = name,
				    .helpers = helpers,
			    },
			    &prog, &o->err)) {
		refused(o, "load");
		goto out;
	}
	if (vec->mem_len) {
		/* A fresh copy: programs may write their input. */
		mem = malloc(vec->mem_len);
		if (!mem) {
			ret = -ENOMEM;
			goto out;
		}
		memcpy(mem, vec->mem, vec->mem_len);
	}
	ret = uebpf_prog_run(prog,
			     &(struct uebpf_run_opts){
				     .sz = sizeof(struct uebpf_run_opts),
				     .mem = mem,
				     .mem_len = vec->mem_len,
				     .insn_budget = co->budget,
				     .engine = co->engine,
			     },
			     &o->r0, &o->err);
	if (ret == -EOPNOTSUPP && co->engine == UEBPF_ENGINE_JIT) {
		/* The engine is missing, not the vector wrong: stop the run. */
		o->err.code = ret;
		goto out;
	}
	if (ret)
		refused(o, "run");
	else
		o->ran = true;
	ret = 0;
out:
	if (prog)
		uebpf_prog_destroy(prog);
	free(assembled);
	free(mem);
	return ret;
}

static void judge(const struct uebpf_vector *vec, const struct outcome *o,
		  struct verdict *v)
{
	char what[UEBPF_ERRMSG_MAX + 64];

	v->pass = false;
	if (o->ran)
		snprintf(what, sizeof(what), "it ran to r0 = 0x%" PRIx64, o->r0);
	else
		snprintf(what, sizeof(what), "%s failed: %s", o->stage, o->err.msg);

	if (o->mismatch) {
		snprintf(v->reason, sizeof(v->reason), "%s", o->err.msg);
	} else if (vec->has_error) {
		if (o->ran)
			snprintf(v->reason, sizeof(v->reason),
				 "%s, but its error section expects it refused (%s%s%s)",
				 what, vec->error_text[0] ? "'" : "any error",
				 vec->error_text, vec->error_text[0] ? "'" : "");
		else if (!vec->has_result)
			snprintf(v->reason, sizeof(v->reason),
				 "no result section (its program was refused as the error section expects: %s)",
				 what);
		else
			v->pass = true;
	} else if (!vec->has_result) {
		snprintf(v->reason, sizeof(v->reason), "no result section (%s)", what);
	} else if (!o->ran) {
		snprintf(v->reason, sizeof(v->reason), "%s", what);
	} else if (o->r0 != vec->result) {
		snprintf(v->reason, sizeof(v->reason),
			 "r0 = 0x%" PRIx64 ", expected 0x%" PRIx64, o->r0, vec->result);
	} else {
		v->pass = true;
	}
	if (v->pass)
		snprintf(v->reason, sizeof(v->reason), "%s", what);
}

/* Judges one vector file. EVAL_FATAL stops the whole run (engine missing,
 * out of memory). */
static int evaluate(const struct vector_file *f, const struct conf_opts *co,
		    const struct uebpf_helper_set *helpers, struct verdict *v,
		    struct outcome *o, struct uebpf_vector *vec, bool *have_vec)
{
	struct uebpf_error err = { 0 };
	unsigned char *text;
	size_t len;
	int ret;

	*have_vec = false;
	v->pass = false;
	if (cli_read_file(f->path, &text, &len, &err)) {
		snprintf(v->reason, sizeof(v->reason), "cannot read %s: %s", f->path, err.msg);
		return EVAL_DONE;
	}
	ret = uebpf_vector_parse((const char *)text, vec, &err);
	free(text);
	if (ret) {
		snprintf(v->reason, sizeof(v->reason), "cannot parse the vector: %s", err.msg);
		return EVAL_DONE;
	}
	*have_vec = true;
	if (vec->unknown_section) {
		snprintf(v->reason, sizeof(v->reason), "unknown section '-- %s'", vec->unknown_section);
		return EVAL_DONE;
	}
	if (!vec->asm_text && !vec->raw) {
		snprintf(v->reason, sizeof(v->reason), "no program: neither an asm nor a raw section");
		return EVAL_DONE;
	}
	ret = execute(vec, co, helpers, f->name, o);
	if (ret) {
		fprintf(stderr, "%s: %s\n", f->path,
			ret == -ENOMEM ? "out of memory" : o->err.msg);
		return EVAL_FATAL;
	}
	judge(vec, o, v);
	return EVAL_DONE;
}

/* ----------------------------------------------------------------- main */

static int parse_conf_args(int argc, char **argv, struct conf_opts *co)
{
	static const struct option opts[] = {
		{ "engine", required_argument, NULL, 'e' },
		{ "budget", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "expect-fail", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	memset(co, 0, sizeof(*co));
	co->engine = UEBPF_ENGINE_INTERP;
	optind = 0;
	while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			if (!cli_parse_engine(optarg, &co->engine)) {
				cli_errorf("conformance", "unknown engine '%s': use interp or jit", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'b':
			if (!cli_parse_u64(optarg, &co->budget) || co->budget == 0) {
				cli_errorf("conformance", "--budget wants a positive instruction count, not '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'v': co->verbose = true; break;
		case 'x': co->expect_fail = true; break;
		case 'h': conformance_usage(stdout); return -1;
		default: conformance_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_errorf("conformance", "give at least one .data file or folder");
		conformance_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

static void report(const struct vector_file *f, const struct conf_opts *co,
		   const struct verdict *v, const struct uebpf_vector *vec,
		   const struct outcome *o, bool have_vec, bool counted_pass)
{
	if (counted_pass && !co->verbose)
		return;
	if (counted_pass) {
		if (co->expect_fail)
			printf("PASS %s: fails as expected: %s\n", f->name, v->reason);
		else
			printf("PASS %s: %s\n", f->name, v->reason);
	} else if (co->expect_fail) {
		printf("FAIL %s: passes (%s), but --expect-fail wants it to fail\n",
		       f->name, v->reason);
	} else {
		printf("FAIL %s: %s\n", f->name, v->reason);
	}
	if (co->verbose && have_vec && vec->has_error)
		printf("  expected error: '%s'\n  actual:         %s\n", vec->error_text,
		       !o->attempted ? "none, the program was not tried" :
		       o->ran ? "none, the program ran" : o->err.msg);
}

int cmd_conformance(int argc, char **argv)
{
	struct uebpf_error err = { 0 };
	struct uebpf_helper_set *helpers = NULL;
	struct vector_list list = { 0 };
	struct conf_opts co;
	size_t passed = 0, failed = 0;
	int ret, status = CLI_EXIT_FAIL;

	ret = parse_conf_args(argc, argv, &co);
	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;
	for (int i = optind; i < argc; i++) {
		ret = collect(&list, argv[i]);
		if (ret) {
			if (ret == -ENOMEM)
				cli_errorf("conformance", "out of memory listing %s", argv[i]);
			goto out;
		}
	}
	if (list.cnt == 0) {
		cli_errorf("conformance", "no .data vectors found in the given paths");
		goto out;
	}
	if (cli_conformance_helpers(&helpers, &err)) {
		cli_errorf("conformance", "%s", err.msg);
		goto out;
	}

	for (size_t i = 0; i < list.cnt; i++) {
		struct uebpf_vector vec;
		struct outcome o = { 0 };
		struct verdict v;
		bool have_vec, counted_pass;

		if (evaluate(&list.files[i], &co, helpers, &v, &o, &vec, &have_vec)) {
			if (have_vec)
				uebpf_vector_free(&vec);
			status = o.err.code == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
			goto out;
		}
		counted_pass = co.expect_fail ? !v.pass : v.pass;
		report(&list.files[i], &co, &v, &vec, &o, have_vec, counted_pass);
		if (have_vec)
			uebpf_vector_free(&vec);
		if (counted_pass)
			passed++;
		else
			failed++;
	}
	printf("%zu passed, %zu failed\n", passed, failed);
	status = failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
out:
	if (helpers)
		uebpf_helper_set_destroy(helpers);
	free_list(&list);
	return status;
}
