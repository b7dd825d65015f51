/* SPDX-License-Identifier: MIT */
/* `uebpf run PROG`: loads a program, runs it, prints r0 and, with --repeat,
 * the median time per run. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "uebpf/verifier.h"

/* A timed batch must last this long so that the two clock reads around it
 * (tens of ns) stay below 1% of what is measured. */
#define MIN_BATCH_NS 20000ull

struct run_args {
	const char *path;
	const char *mem_hex;
	const char *mem_file;
	uint64_t repeat;            /* 0: not asked for */
	uint64_t budget;
	enum uebpf_engine engine;
	bool unverified;            /* run even if the verifier refuses, checked */
	bool json;
	bool verified;              /* set after verification: runs unchecked */
};

struct timing {
	uint64_t runs;
	uint64_t batch;
	uint64_t samples;
	double median_ns;
};

static void run_usage(FILE *out)
{
	fprintf(out,
		"usage: uebpf run PROG [--mem HEX | --mem-file F] [--repeat N]\n"
		"                 [--engine interp|jit] [--budget N] [--unverified] [--json]\n"
		"PROG is raw instructions (.bin), assembly (.s) or a vector (.data, whose\n"
		"mem section is the input unless --mem/--mem-file is given). Prints r0;\n"
		"with --repeat N also the median ns per run over N runs.\n"
		"The verifier checks the program first (raw memory type, for exactly the\n"
		"given input size): an accepted program runs without runtime checks, in the\n"
		"JIT unless --engine says otherwise; a refused one does not run unless\n"
		"--unverified is given, and then only with runtime checks.\n");
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int run_batch(const struct uebpf_prog *prog, const struct uebpf_run_opts *opts,
		     uint64_t count, uint64_t *elapsed, struct uebpf_error *err)
{
	uint64_t retval, start = now_ns();

	for (uint64_t i = 0; i < count; i++) {
		int ret = uebpf_prog_run(prog, opts, &retval, err);

		if (ret)
			return ret;
	}
	*elapsed = now_ns() - start;
	return 0;
}

/* Runs the program `repeat` times in batches long enough to time reliably
 * and takes the median of the per-run time of each batch. Batch size is
 * found by doubling (those warm-up runs are not counted). */
static int measure(const struct uebpf_prog *prog, const struct uebpf_run_opts *opts,
		   uint64_t repeat, struct timing *t, struct uebpf_error *err)
{
	uint64_t batch = 1, elapsed, left;
	double *samples;
	size_t n = 0;
	int ret;

	for (;;) {
		ret = run_batch(prog, opts, batch, &elapsed, err);
		if (ret)
			return ret;
		if (elapsed >= MIN_BATCH_NS || batch >= repeat)
			break;
		batch *= 2;
	}
	if (batch > repeat)
		batch = repeat;

	t->runs = repeat;
	t->batch = batch;
	t->samples = (repeat + batch - 1) / batch;
	samples = calloc(t->samples, sizeof(*samples));
	if (!samples) {
		snprintf(err->msg, sizeof(err->msg), "out of memory for %" PRIu64 " timing samples", t->samples);
		return err->code = -ENOMEM;
	}
	for (left = repeat; left > 0; left -= batch < left ? batch : left) {
		uint64_t count = batch < left ? batch : left;

		ret = run_batch(prog, opts, count, &elapsed, err);
		if (ret) {
			free(samples);
			return ret;
		}
		samples[n++] = (double)elapsed / (double)count;
	}
	qsort(samples, n, sizeof(*samples), cmp_double);
	t->median_ns = n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
	free(samples);
	return 0;
}

static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		{ "mem", required_argument, NULL, 'm' },
		{ "mem-file", required_argument, NULL, 'f' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "engine", required_argument, NULL, 'e' },
		{ "budget", required_argument, NULL, 'b' },
		{ "unverified", no_argument, NULL, 'U' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->engine = UEBPF_ENGINE_DEFAULT;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'm': a->mem_hex = optarg; break;
		case 'f': a->mem_file = optarg; break;
		case 'r':
			if (!cli_parse_u64(optarg, &a->repeat) || a->repeat == 0) {
				cli_errorf("run", "--repeat wants a positive count, not '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'e':
			if (!cli_parse_engine(optarg, &a->engine)) {
				cli_errorf("run", "unknown engine '%s': use interp or jit", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'b':
			if (!cli_parse_u64(optarg, &a->budget) || a->budget == 0) {
				cli_errorf("run", "--budget wants a positive instruction count, not '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'U': a->unverified = true; break;
		case 'j': a->json = true; break;
		case 'h': run_usage(stdout); return -1;
		default: run_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_errorf("run", "expected exactly one program file");
		run_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (a->mem_hex && a->mem_file) {
		cli_errorf("run", "give --mem or --mem-file, not both");
		return CLI_EXIT_USAGE;
	}
	a->path = argv[optind];
	return 0;
}

/* The input memory: --mem, --mem-file, else the vector's own. Takes over
 * prog->mem when used. */
static int input_memory(const struct run_args *a, struct cli_program *prog,
			unsigned char **mem, size_t *len, struct uebpf_error *err)
{
	*mem = NULL;
	*len = 0;
	if (a->mem_hex) {
		int ret = cli_parse_hex(a->mem_hex, mem, len, err);

		if (ret)
			fprintf(stderr, "--mem: %s\n", err->msg);
		return ret;
	}
	if (a->mem_file) {
		int ret = cli_read_file(a->mem_file, mem, len, err);

		if (ret)
			fprintf(stderr, "%s: %s\n", a->mem_file, err->msg);
		return ret;
	}
	if (prog->has_mem) {
		*mem = prog->mem;
		*len = prog->mem_len;
		prog->mem = NULL;
	}
	return 0;
}

static void print_result(const struct run_args *a, uint64_t retval,
			 const struct timing *t)
{
	if (a->json) {
		printf("{\"program\":");
		cli_json_string(stdout, a->path);
		printf(",\"retval\":%" PRIu64 ",\"retval_hex\":\"0x%" PRIx64 "\""
		       ",\"runs\":%" PRIu64 ",\"median_ns\":%.1f,\"batch\":%" PRIu64
		       ",\"samples\":%" PRIu64 ",\"engine\":\"%s\",\"verified\":%s}\n",
		       retval, retval, t->runs, t->median_ns, t->batch, t->samples,
		       cli_engine_name(a->engine), a->verified ? "true" : "false");
		return;
	}
	if ((int64_t)retval < 0)
		printf("r0 = 0x%" PRIx64 " (%" PRIu64 ", signed %" PRId64 ")\n",
		       retval, retval, (int64_t)retval);
	else
		printf("r0 = 0x%" PRIx64 " (%" PRIu64 ")\n", retval, retval);
	if (a->repeat)
		printf("median %.1f ns per run (%" PRIu64 " runs, %" PRIu64
		       " batches of %" PRIu64 ", engine %s, %s)\n",
		       t->median_ns, t->runs, t->samples, t->batch,
		       cli_engine_name(a->engine),
		       a->verified ? "verified, no runtime checks" : "runtime checks");
}

int cmd_run(int argc, char **argv)
{
	struct uebpf_error err = { 0 };
	struct uebpf_helper_set *helpers = NULL;
	struct uebpf_prog *prog = NULL;
	struct uebpf_run_opts opts;
	struct cli_program input;
	struct run_args a;
	struct timing t = { 0 };
	unsigned char *mem = NULL, *work = NULL;
	size_t mem_len = 0;
	uint64_t retval, start;
	char name[256];
	int ret, status = CLI_EXIT_FAIL;

	ret = parse_run_args(argc, argv, &a);
	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;

	ret = cli_load_program_file(a.path, &input, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", a.path, err.msg);
		return ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
	}
	if (input_memory(&a, &input, &mem, &mem_len, &err))
		goto out;
	/* The program may write its input; keep the original so that the
	 * printed r0 comes from a run on exactly the given bytes. */
	if (mem_len) {
		work = malloc(mem_len);
		if (!work) {
			fprintf(stderr, "%s: out of memory\n", a.path);
			goto out;
		}
		memcpy(work, mem, mem_len);
	}

	ret = cli_conformance_helpers(&helpers, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", a.path, err.msg);
		goto out;
	}
	snprintf(name, sizeof(name), "%s", a.path);
	ret = uebpf_prog_load(input.insns, input.insn_cnt,
			      &(struct uebpf_prog_opts){
				      .sz = sizeof(struct uebpf_prog_opts),
				      .name = basename(name),
				      .helpers = helpers,
			      },
			      &prog, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", a.path, err.msg);
		goto out;
	}

	ret = uebpf_prog_verify(prog,
				&(struct uebpf_verify_opts){ .sz = sizeof(struct uebpf_verify_opts),
							     .prog_type = UEBPF_PROG_TYPE_RAW,
							     .mem_size = mem_len },
				NULL, &err);
	if (ret && !a.unverified) {
		fprintf(stderr, "%s: %s\n(to run it anyway, with runtime checks on every access, "
				"add --unverified)\n", a.path, err.msg);
		goto out;
	}
	if (ret && !a.json)
		fprintf(stderr, "%s: the verifier refused it; running it with runtime checks as "
				"--unverified asks\n", a.path);
	a.verified = ret == 0;
	if (a.engine == UEBPF_ENGINE_DEFAULT)
		a.engine = a.verified ? UEBPF_ENGINE_JIT : UEBPF_ENGINE_INTERP;

	opts = (struct uebpf_run_opts){
		.sz = sizeof(opts),
		.mem = work,
		.mem_len = mem_len,
		.insn_budget = a.budget,
		.engine = a.engine,
		.flags = ret ? 0 : UEBPF_RUN_UNCHECKED,
	};
	start = now_ns();
	ret = uebpf_prog_run(prog, &opts, &retval, &err);
	t.median_ns = (double)(now_ns() - start);
	t.runs = t.batch = t.samples = 1;
	if (ret) {
		fprintf(stderr, "%s: %s\n", a.path, err.msg);
		status = ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
		goto out;
	}
	if (a.repeat) {
		ret = measure(prog, &opts, a.repeat, &t, &err);
		if (ret) {
			fprintf(stderr, "%s: during --repeat: %s\n", a.path, err.msg);
			goto out;
		}
	}
	print_result(&a, retval, &t);
	status = CLI_EXIT_OK;
out:
	if (prog)
		uebpf_prog_destroy(prog);
	if (helpers)
		uebpf_helper_set_destroy(helpers);
	free(work);
	free(mem);
	cli_program_free(&input);
	return status;
}
