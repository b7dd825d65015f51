/* SPDX-License-Identifier: MIT */
/*
 * vsound: soundness fuzzing of the verifier.
 *
 * Generates programs that sit on the edge of safety (vgen: pointer
 * arithmetic on the buffer, packet, stack and map values, bounds checks
 * right, off by one or missing, variable offsets, branches on scalars,
 * spills and fills; plus some progen programs), verifies each, and runs
 * every accepted one on several inputs
 *  - in the shadow interpreter (shadow.h), which knows the exact region
 *    every pointer points into and stops at any access outside it, any
 *    read of unwritten stack, any use of a register without a value;
 *  - in the library's checked interpreter, with the exact verified buffer
 *    size (raw) or the exact packet as the only region (XDP): a fault
 *    (-EFAULT) or a run past the instruction budget (-E2BIG) is a finding;
 *  - unchecked (interpreter and JIT), in a forked child, over a heap
 *    buffer of exactly the verified size and a packet between guard
 *    pages, so ASan or a SIGSEGV catches what slipped through.
 * An accepted program that misbehaves anywhere is a verifier bug: vsound
 * prints the seed, the program, the input and the verifier's log, and
 * exits 1.
 *
 * usage: vsound [--count N] [--seed S] [--mutate P] [--no-fork]
 *               [--keep-going] [--print] [--progen-every K]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "isa/isa.h"
#include "progen.h"
#include "shadow.h"
#include "uebpf/helpers.h"
#include "uebpf/map.h"
#include "uebpf/uebpf.h"
#include "uebpf/verifier.h"
#include "vgen.h"

#define RUNS_PER_PROG 8
#define RUN_BUDGET 1000000ull
#define BATCH 256
#define PAGE 4096
#define MAX_PKT 200

struct config {
	uint64_t seed, count;
	struct vgen_opts gen;
	bool fork_unchecked, keep_going, print, reasons;
	uint64_t progen_every;   /* every K-th seed is a progen program; 0: none */
};

struct stats {
	uint64_t programs, raw, xdp, progen;
	uint64_t accepted, accepted_raw, accepted_xdp, accepted_progen;
	uint64_t shadow_runs, shadow_unsupported, checked_runs, unchecked_runs;
	uint64_t violations, progen_refused;
	/* refused vgen programs the shadow saw fault on some input: a check
	 * that the oracle is sharp (most refusals should fault) */
	uint64_t refused_vgen, refused_faulting;
	uint64_t verify_ns;
	/* refusal reasons with numbers blanked, for --reasons */
	struct { char text[72]; uint64_t n; } reasons[64];
	size_t nr_reasons;
};

/* Counts a refusal under its reason with every number replaced by N, so
 * reasons group by kind. */
static void count_reason(struct stats *st, const char *reason)
{
	char key[72];
	size_t k = 0;

	for (const char *p = reason; *p && k + 1 < sizeof(key); p++) {
		if (*p >= '0' && *p <= '9') {
			if (k == 0 || key[k - 1] != 'N')
				key[k++] = 'N';
			continue;
		}
		key[k++] = *p;
	}
	key[k] = '\0';
	for (size_t i = 0; i < st->nr_reasons; i++)
		if (!strcmp(st->reasons[i].text, key)) {
			st->reasons[i].n++;
			return;
		}
	if (st->nr_reasons < sizeof(st->reasons) / sizeof(st->reasons[0])) {
		snprintf(st->reasons[st->nr_reasons].text, sizeof(key), "%s", key);
		st->reasons[st->nr_reasons++].n = 1;
	}
}

/* One program under test, with what it needs to run. */
struct subject {
	uint64_t seed;
	bool is_progen;
	enum vgen_kind kind;
	struct bpf_insn *insns;      /* borrowed from vgen/progen */
	size_t cnt;
	uint32_t data_len;
	uint32_t vsize, entries;
	bool uses_map;
	char patterns[256];          /* vgen's pattern list, "" for progen */
	struct uebpf_map *map;
	struct uebpf_prog *prog;
};

static struct uebpf_helper_set *helpers_raw, *helpers_xdp;
static uint8_t *pkt_area;        /* 3 pages below 4 GiB: guard, packet page, guard */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------- reports */

static void print_prog(FILE *f, const struct bpf_insn *insns, size_t cnt)
{
	char text[128];

	for (size_t i = 0; i < cnt; i++) {
		if (i > 0 && isa_is_lddw(&insns[i - 1]))
			continue;
		isa_format_insn(insns, cnt, i, text, sizeof(text));
		fprintf(f, "  %4zu: %02x %x %x %04x %08x   %s\n", i, insns[i].code, insns[i].src_reg,
			insns[i].dst_reg, (unsigned)(uint16_t)insns[i].off, (unsigned)insns[i].imm, text);
	}
}

static void print_hex(FILE *f, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%s%02x", i % 32 ? " " : "\n    ", b[i]);
	fputc('\n', f);
}

static uint32_t prog_type_of(const struct subject *s)
{
	return s->kind == VGEN_XDP ? BPF_PROG_TYPE_XDP : UEBPF_PROG_TYPE_RAW;
}

static void verify_opts(const struct subject *s, struct uebpf_verify_opts *o,
			struct uebpf_verify_map *m)
{
	memset(o, 0, sizeof(*o));
	o->sz = sizeof(*o);
	o->prog_type = prog_type_of(s);
	o->mem_size = s->kind == VGEN_RAW ? s->data_len : 0;
	if (s->uses_map) {
		*m = (struct uebpf_verify_map){ .name = "vmap", .type = BPF_MAP_TYPE_ARRAY,
						.key_size = VGEN_MAP_KEY_SIZE, .value_size = s->vsize,
						.max_entries = s->entries };
		o->maps = m;
		o->nr_maps = 1;
	}
}

/* Input length for run `run`: the data length for raw programs; for XDP
 * packets around it (shorter ones take the prologue's early exit). */
static size_t input_len(const struct subject *s, unsigned run)
{
	if (s->kind == VGEN_RAW)
		return s->data_len;
	switch (run) {
	case 0: return s->data_len;
	case 1: return s->data_len + 1;
	case 2: return s->data_len + 64 < MAX_PKT ? s->data_len + 64 : MAX_PKT;
	case 3: return s->data_len > 1 ? s->data_len - 1 : 1;
	default: return s->data_len + (run - 4) * 3;
	}
}

static void report(const struct subject *s, unsigned run, const char *what, const char *detail)
{
	struct uebpf_verify_result *res = NULL;
	struct uebpf_verify_opts o;
	struct uebpf_verify_map m;
	size_t len = input_len(s, run);
	uint8_t in[MAX_PKT];

	fprintf(stderr, "\nvsound: VERIFIER BUG for seed %" PRIu64 " (reproduce: vsound --seed %" PRIu64
		" --count 1%s)\n", s->seed, s->seed, s->is_progen ? " --progen-every 1" : "");
	fprintf(stderr, "  %s, run %u: %s\n", what, run, detail);
	fprintf(stderr, "  program: %s, %s %u bytes%s", s->is_progen ? "progen" : "vgen",
		s->kind == VGEN_XDP ? "xdp, packet" : "raw, buffer", (unsigned)len,
		s->kind == VGEN_XDP ? "" : " (verified size)");
	if (s->uses_map)
		fprintf(stderr, ", array map value_size %u max_entries %u", s->vsize, s->entries);
	if (s->patterns[0])
		fprintf(stderr, "\n  patterns (* = mutated): %s", s->patterns);
	fprintf(stderr, "\n  input:");
	if (s->is_progen) {
		fprintf(stderr, " (progen_fill_buffer)\n");
	} else {
		vgen_fill_input(s->seed, run, in, len);
		print_hex(stderr, in, len);
	}
	fprintf(stderr, "  program (%zu insns):\n", s->cnt);
	print_prog(stderr, s->insns, s->cnt);
	verify_opts(s, &o, &m);
	o.log_level = UEBPF_VERIFY_LOG_FULL;
	uebpf_verify_insns(s->insns, s->cnt, &o, &res, NULL);
	fprintf(stderr, "  verifier log:\n%s\n", res ? uebpf_verify_result_log(res) : "(none)");
	uebpf_verify_result_destroy(res);
}

/* ---------------------------------------------------------------- runs */

/* The packet for XDP runs: `len` bytes that end at the guard page
 * (at_end) or start right after the first one. */
static uint8_t *place_packet(size_t len, bool at_end)
{
	uint8_t *page = pkt_area + PAGE;

	return at_end ? page + PAGE - len : page;
}

/* Runs the program once with the library's engines. */
static int run_real(const struct subject *s, unsigned run, bool checked, enum uebpf_engine engine,
		    bool pkt_at_end, uint8_t *raw_buf, struct uebpf_error *err)
{
	size_t len = input_len(s, run);
	struct uebpf_run_opts ro = { .sz = sizeof(ro), .engine = engine, .insn_budget = RUN_BUDGET,
				     .flags = checked ? 0 : UEBPF_RUN_UNCHECKED };
	struct xdp_md ctx;
	struct uebpf_region region;
	uint64_t r0;

	if (s->kind == VGEN_RAW) {
		if (s->is_progen)
			progen_fill_buffer(s->seed, NULL, raw_buf);
		else
			vgen_fill_input(s->seed, run, raw_buf, len);
		ro.mem = raw_buf;
		ro.mem_len = len;
	} else {
		uint8_t *pkt = place_packet(len, pkt_at_end);

		vgen_fill_input(s->seed, run, pkt, len);
		memset(&ctx, 0, sizeof(ctx));
		ctx.data = (uint32_t)(uintptr_t)pkt;
		ctx.data_end = (uint32_t)(uintptr_t)(pkt + len);
		ctx.data_meta = ctx.data;
		ctx.ingress_ifindex = 1;
		region = (struct uebpf_region){ pkt, len, true };
		ro.mem = &ctx;
		ro.mem_len = sizeof(ctx);
		ro.mem_readonly = true;
		ro.regions = &region;
		ro.nr_regions = 1;
	}
	return uebpf_prog_run(s->prog, &ro, &r0, err);
}

static void child_unchecked(struct subject *subjects, size_t n, int fd)
{
	for (size_t i = 0; i < n; i++) {
		struct subject *s = &subjects[i];

		for (unsigned run = 0; run < (s->is_progen ? 1u : RUNS_PER_PROG); run++) {
			/* a heap buffer of exactly the verified size: ASan sees any
			 * byte beyond it */
			uint8_t *buf = malloc(input_len(s, run));
			struct uebpf_error err;
			uint64_t tag = s->seed << 8 | run;

			if (!buf)
				_exit(3);
			if (write(fd, &tag, sizeof(tag)) != sizeof(tag))
				_exit(3);
			run_real(s, run, false, UEBPF_ENGINE_INTERP, true, buf, &err);
			run_real(s, run, false, UEBPF_ENGINE_INTERP, false, buf, &err);
			run_real(s, run, false, UEBPF_ENGINE_JIT, true, buf, &err);
			run_real(s, run, false, UEBPF_ENGINE_JIT, false, buf, &err);
			free(buf);
		}
	}
	_exit(0);
}

/* Runs the batch unchecked in a child. Returns the index of the subject
 * that crashed it, or -1. */
static long unchecked_batch(struct subject *subjects, size_t n, unsigned *bad_run, int *status_out,
			    struct stats *st)
{
	int fds[2], status = 0;
	uint64_t tag, last = UINT64_MAX;
	pid_t pid;

	if (!n)
		return -1;
	if (pipe(fds)) {
		perror("vsound: pipe");
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("vsound: fork");
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		child_unchecked(subjects, n, fds[1]);
	}
	close(fds[1]);
	while (read(fds[0], &tag, sizeof(tag)) == sizeof(tag)) {
		last = tag;
		st->unchecked_runs += 4;
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	*status_out = status;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (last != UINT64_MAX && subjects[i].seed == last >> 8) {
			*bad_run = (unsigned)(last & 0xff);
			return (long)i;
		}
	return n ? 0 : -1;
}

/* Shadow and checked runs of an accepted program. Returns 1 on a finding. */
static int check_accepted(const struct config *cfg, struct subject *s, struct stats *st)
{
	unsigned runs = s->is_progen ? 1 : RUNS_PER_PROG;
	char detail[UEBPF_ERRMSG_MAX + 64];

	(void)cfg;
	for (unsigned run = 0; run < runs; run++) {
		size_t len = s->is_progen ? progen_buffer_len(NULL) : input_len(s, run);
		uint8_t *buf = malloc(len);
		struct uebpf_error err;
		int ret;

		if (!buf)
			return 1;
		if (!s->is_progen) {
			struct shadow_input in = {
				.ctx = s->kind == VGEN_XDP ? SHADOW_CTX_XDP : SHADOW_CTX_RAW,
				.data = buf, .data_len = len,
				.map_value_size = s->uses_map ? s->vsize : 0,
				.map_max_entries = s->entries, .insn_budget = RUN_BUDGET,
			};
			struct shadow_result res;

			vgen_fill_input(s->seed, run, buf, len);
			shadow_run(s->insns, s->cnt, &in, &res);
			st->shadow_runs++;
			if (res.verdict == SHADOW_UNSUPPORTED)
				st->shadow_unsupported++;
			if (res.verdict == SHADOW_VIOLATION) {
				snprintf(detail, sizeof(detail), "insn %ld: %s", res.insn_idx, res.why);
				report(s, run, "the shadow interpreter stopped it", detail);
				free(buf);
				return 1;
			}
		}
		ret = run_real(s, run, true, UEBPF_ENGINE_INTERP, true, buf, &err);
		st->checked_runs++;
		free(buf);
		if (ret) {
			snprintf(detail, sizeof(detail), "%s (%d)", err.msg, ret);
			report(s, run, "the checked interpreter stopped it", detail);
			return 1;
		}
	}
	return 0;
}

/* A refused program, run in the shadow on the same inputs: counts whether
 * it really misbehaves on one of them. */
static void shadow_refused(const struct subject *s, struct stats *st)
{
	st->refused_vgen++;
	for (unsigned run = 0; run < RUNS_PER_PROG; run++) {
		size_t len = input_len(s, run);
		uint8_t buf[MAX_PKT];
		struct shadow_input in = {
			.ctx = s->kind == VGEN_XDP ? SHADOW_CTX_XDP : SHADOW_CTX_RAW,
			.data = buf, .data_len = len,
			.map_value_size = s->uses_map ? s->vsize : 0,
			.map_max_entries = s->entries, .insn_budget = RUN_BUDGET,
		};
		struct shadow_result res;

		vgen_fill_input(s->seed, run, buf, len);
		shadow_run(s->insns, s->cnt, &in, &res);
		if (res.verdict == SHADOW_VIOLATION) {
			st->refused_faulting++;
			return;
		}
	}
}

/* ------------------------------------------------------------- one seed */

static void subject_free(struct subject *s)
{
	uebpf_prog_destroy(s->prog);
	uebpf_map_destroy(s->map);
	free(s->insns);
	memset(s, 0, sizeof(*s));
}

/* Builds, verifies and checks one program. Returns 1 when accepted (and
 * kept in *s for the unchecked batch), 0 when refused, -1 on a finding or
 * error. */
static int run_seed(const struct config *cfg, uint64_t seed, struct subject *s, struct stats *st)
{
	struct uebpf_verify_opts o;
	struct uebpf_verify_map m;
	struct uebpf_verify_result *res = NULL;
	struct uebpf_error err;
	struct uebpf_map *const *maps = NULL;
	bool progen = cfg->progen_every && seed % cfg->progen_every == 0;
	int ret;

	memset(s, 0, sizeof(*s));
	s->seed = seed;
	if (progen) {
		struct progen_prog p;

		if (progen_generate(seed, NULL, PROGEN_FRAME_RAW, &p))
			return -1;
		s->is_progen = true;
		s->kind = VGEN_RAW;
		s->insns = p.insns;
		s->cnt = p.cnt;
		s->data_len = (uint32_t)progen_buffer_len(NULL);
		st->progen++;
	} else {
		struct vgen_prog p;

		if (vgen_generate(seed, &cfg->gen, &p))
			return -1;
		s->kind = p.kind;
		s->insns = p.insns;
		s->cnt = p.cnt;
		s->data_len = p.data_len;
		s->uses_map = p.uses_map;
		s->vsize = p.map_value_size;
		s->entries = p.map_max_entries;
		snprintf(s->patterns, sizeof(s->patterns), "%s", p.patterns);
		if (p.kind == VGEN_XDP)
			st->xdp++;
		else
			st->raw++;
	}
	st->programs++;
	if (cfg->print) {
		printf("seed %" PRIu64 " (%zu insns%s%s):\n", seed, s->cnt, s->patterns[0] ? ", " : "",
		       s->patterns);
		print_prog(stdout, s->insns, s->cnt);
	}
	if (s->uses_map) {
		struct uebpf_map_spec spec = { .sz = sizeof(spec), .name = "vmap",
					       .type = BPF_MAP_TYPE_ARRAY, .key_size = VGEN_MAP_KEY_SIZE,
					       .value_size = s->vsize, .max_entries = s->entries };

		if (uebpf_map_create(&spec, &s->map, &err)) {
			fprintf(stderr, "vsound: cannot create the array map: %s\n", err.msg);
			return -1;
		}
		maps = &s->map;
	}
	ret = uebpf_prog_load(s->insns, s->cnt,
			      &(struct uebpf_prog_opts){ .sz = sizeof(struct uebpf_prog_opts),
							 .name = "vsound",
							 .helpers = s->kind == VGEN_XDP ? helpers_xdp : helpers_raw,
							 .maps = maps, .nr_maps = maps ? 1 : 0 },
			      &s->prog, &err);
	if (ret) {
		/* malformed by construction is a generator bug */
		fprintf(stderr, "vsound: seed %" PRIu64 ": the generated program does not load: %s\n",
			seed, err.msg);
		return -1;
	}
	verify_opts(s, &o, &m);
	ret = uebpf_prog_verify(s->prog, &o, &res, &err);
	if (!res) {
		fprintf(stderr, "vsound: seed %" PRIu64 ": the verifier failed: %s\n", seed, err.msg);
		return -1;
	}
	st->verify_ns += uebpf_verify_result_stats(res)->time_ns;
	if (ret && uebpf_verify_result_refusal(res))
		count_reason(st, uebpf_verify_result_refusal(res)->reason);
	if (cfg->print)
		printf("%s", ret ? uebpf_verify_result_message(res) : "accepted\n");
	uebpf_verify_result_destroy(res);
	if (ret) {
		if (!progen)
			shadow_refused(s, st);
		if (progen) {
			if (st->progen_refused++ < 5)
				fprintf(stderr, "vsound: note: progen seed %" PRIu64 " refused (the kernel "
					"accepts all progen programs): %s\n", seed, err.msg);
		}
		return 0;
	}
	st->accepted++;
	if (progen)
		st->accepted_progen++;
	else if (s->kind == VGEN_XDP)
		st->accepted_xdp++;
	else
		st->accepted_raw++;
	if (check_accepted(cfg, s, st)) {
		st->violations++;
		return -1;
	}
	return 1;
}

/* ------------------------------------------------------------------ main */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vsound [--count N] [--seed S] [options]\n"
		"Verifies N generated programs (seeds S, S+1, ...) and runs every accepted one in a\n"
		"shadow interpreter that tracks pointer regions exactly, in the checked interpreter\n"
		"and unchecked (forked child); any fault in an accepted program is a verifier bug.\n"
		"  --count N         programs (default 2000)\n"
		"  --seed S          first seed (default 1)\n"
		"  --mutate P        chance in percent that a pattern is mutated (default 20)\n"
		"  --kind raw|xdp    only this kind of program (default both)\n"
		"  --progen-every K  every K-th seed is a progen program instead (default 10, 0: none)\n"
"  --range-only      only the range-tracking pattern (random ALU ops and comparisons\n"
		"                    on an input value, then an unchecked index)\n"
		"  --no-fork         skip the unchecked runs in a child process\n"
		"  --keep-going      report every finding instead of stopping at the first\n"
		"  --print           print every program\n"
		"  --reasons         print how often each refusal reason came up\n");
}

static int parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "mutate", required_argument, NULL, 'm' },
		{ "kind", required_argument, NULL, 'k' },
		{ "range-only", no_argument, NULL, 'r' },
		{ "progen-every", required_argument, NULL, 'P' },
		{ "no-fork", no_argument, NULL, 'F' },
		{ "keep-going", no_argument, NULL, 'g' },
		{ "print", no_argument, NULL, 'p' },
		{ "reasons", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		char *end = NULL;
		unsigned long long v = optarg ? strtoull(optarg, &end, 0) : 0;

		if (optarg && (!*optarg || *end) && c != 'k') {
			fprintf(stderr, "vsound: bad number '%s'\n", optarg);
			return -1;
		}
		switch (c) {
		case 'n': cfg->count = v; break;
		case 's': cfg->seed = v; break;
		case 'm': cfg->gen.mutate_percent = (uint32_t)v; break;
		case 'P': cfg->progen_every = v; break;
		case 'k':
			if (!strcmp(optarg, "raw"))
				cfg->gen.kind = VGEN_RAW;
			else if (!strcmp(optarg, "xdp"))
				cfg->gen.kind = VGEN_XDP;
			else
				return -1;
			break;
		case 'F': cfg->fork_unchecked = false; break;
		case 'r': cfg->gen.range_only = true; break;
		case 'g': cfg->keep_going = true; break;
		case 'p': cfg->print = true; break;
		case 'R': cfg->reasons = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	return optind == argc ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct config cfg = { .seed = 1, .count = 2000, .gen = { .kind = -1 },
			      .fork_unchecked = true, .progen_every = 10 };
	struct stats st = { 0 };
	struct subject *batch;
	struct uebpf_error err;
	size_t nbatch = 0;
	double t0 = now_s();
	int status = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &cfg)) {
		usage(stderr);
		return 2;
	}
	if (uebpf_helper_set_create_linux(UEBPF_PROG_TYPE_RAW, &helpers_raw, &err) ||
	    uebpf_helper_set_create_linux(BPF_PROG_TYPE_XDP, &helpers_xdp, &err)) {
		fprintf(stderr, "vsound: cannot create the helper sets: %s\n", err.msg);
		return 1;
	}
	/* XDP contexts hold 32-bit addresses: the packet lives below 4 GiB,
	 * between two inaccessible pages */
	pkt_area = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (pkt_area == MAP_FAILED || mprotect(pkt_area, PAGE, PROT_NONE) ||
	    mprotect(pkt_area + 2 * PAGE, PAGE, PROT_NONE)) {
		perror("vsound: mmap below 4 GiB");
		return 1;
	}
	batch = calloc(BATCH, sizeof(*batch));
	if (!batch)
		return 1;

	printf("vsound: %" PRIu64 " programs from seed %" PRIu64 "\n", cfg.count, cfg.seed);
	for (uint64_t i = 0; i <= cfg.count; i++) {
		bool flush = i == cfg.count || nbatch == BATCH;

		if (flush && nbatch) {
			unsigned bad_run = 0;
			int wstatus = 0;
			long bad = cfg.fork_unchecked ?
				   unchecked_batch(batch, nbatch, &bad_run, &wstatus, &st) : -1;

			if (bad >= 0) {
				char detail[128];

				if (WIFSIGNALED(wstatus))
					snprintf(detail, sizeof(detail), "the child died of signal %d (%s)",
						 WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
				else
					snprintf(detail, sizeof(detail), "the child exited with %d "
						 "(ASan report above)", WEXITSTATUS(wstatus));
				report(&batch[bad], bad_run, "an unchecked run crashed", detail);
				st.violations++;
				status = 1;
			}
			for (size_t k = 0; k < nbatch; k++)
				subject_free(&batch[k]);
			nbatch = 0;
			if (status && !cfg.keep_going)
				break;
		}
		if (i == cfg.count)
			break;
		switch (run_seed(&cfg, cfg.seed + i, &batch[nbatch], &st)) {
		case 1:
			nbatch++;
			break;
		case 0:
			subject_free(&batch[nbatch]);
			break;
		default:
			subject_free(&batch[nbatch]);
			status = 1;
			break;
		}
		if (status && !cfg.keep_going) {
			for (size_t k = 0; k < nbatch; k++)
				subject_free(&batch[k]);
			nbatch = 0;
			break;
		}
		if ((i + 1) % 100000 == 0)
			printf("vsound: %" PRIu64 " done, %" PRIu64 " accepted, %" PRIu64 " violations\n",
			       i + 1, st.accepted, st.violations);
	}
	printf("vsound: %" PRIu64 " programs (%" PRIu64 " raw, %" PRIu64 " xdp, %" PRIu64 " progen), "
	       "%" PRIu64 " accepted (%" PRIu64 " raw, %" PRIu64 " xdp, %" PRIu64 " progen), "
	       "%" PRIu64 " violations\n",
	       st.programs, st.raw, st.xdp, st.progen, st.accepted, st.accepted_raw, st.accepted_xdp,
	       st.accepted_progen, st.violations);
	printf("vsound: refused vgen programs: %" PRIu64 ", of which %" PRIu64 " (%.1f%%) fault in "
	       "the shadow on one of their inputs (the others are refused without a fault on "
	       "these inputs)\n", st.refused_vgen, st.refused_faulting,
	       st.refused_vgen ? 100.0 * (double)st.refused_faulting / (double)st.refused_vgen : 0.0);
	printf("vsound: runs: %" PRIu64 " shadow (%" PRIu64 " unsupported), %" PRIu64 " checked, %"
	       PRIu64 " unchecked%s; progen programs refused: %" PRIu64 "; verifying %.2f s, "
	       "total %.1f s\n", st.shadow_runs, st.shadow_unsupported, st.checked_runs,
	       st.unchecked_runs, cfg.fork_unchecked ? "" : " (--no-fork)", st.progen_refused,
	       st.verify_ns / 1e9, now_s() - t0);
	if (cfg.reasons)
		for (size_t k = 0; k < st.nr_reasons; k++)
			printf("  %6" PRIu64 "  %s\n", st.reasons[k].n, st.reasons[k].text);
	free(batch);
	uebpf_helper_set_destroy(helpers_raw);
	uebpf_helper_set_destroy(helpers_xdp);
	munmap(pkt_area, 3 * PAGE);
	return status || st.violations ? 1 : 0;
}
