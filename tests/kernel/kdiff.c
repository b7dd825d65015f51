/* SPDX-License-Identifier: MIT */
/*
 * kdiff: differential test of uebpf against the Linux kernel.
 *
 * For each seed, progen makes one random program body; the kernel runs it as
 * an XDP program (BPF_PROG_TEST_RUN) and uebpf runs it with r1 = the same
 * buffer. Both must leave the same bytes in the buffer: the data area, the
 * body's final r0..r8 and its stack area.
 *
 * Exit status: 0 all agreed, 1 a mismatch or an error, 77 the kernel side
 * cannot run here (not root, no bpf(2)).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "isa/isa.h"
#include "kbpf.h"
#include "progen.h"
#include "uebpf/uebpf.h"

#define EXIT_SKIP 77
#define VERIFIER_LOG_LEN (1u << 20)

struct config {
	uint64_t seed;
	uint64_t count;
	struct progen_opts gen;
	enum uebpf_engine engine;
	bool kernel_only;        /* only check that the kernel accepts and runs them */
	bool keep_going;
	bool print;              /* print every program */
	bool reduce;             /* shrink a mismatching program before printing it */
};

struct stats {
	uint64_t programs, insns, mismatches;
	double kernel_s, uebpf_s;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static bool is_nop(const struct bpf_insn *in)
{
	return in->code == (BPF_JMP | BPF_JA) && !in->off && !in->imm;
}

/* `compact` leaves out the `ja +0` a reduction left behind and the
 * epilogue, which is the same in every program. */
static void print_prog(FILE *f, const struct progen_prog *p, bool compact)
{
	char text[128];
	size_t i, nops = 0;

	for (i = 0; i < p->cnt; i++) {
		const struct bpf_insn *in = &p->insns[i];
		bool second_slot = i > 0 && isa_is_lddw(&p->insns[i - 1]);
		bool frame = i < p->body_start || i >= p->body_end;

		if (compact && !frame && is_nop(in) && !second_slot) {
			nops++;
			continue;
		}
		if (compact && i == p->body_end) {
			fprintf(f, "  |%4zu: (epilogue: stores r0..r8 and the stack area into the "
				"buffer, exits)\n", i);
			break;
		}
		if (second_slot)
			text[0] = '\0';
		else
			isa_format_insn(p->insns, p->cnt, i, text, sizeof(text));
		fprintf(f, "  %c%4zu: %02x %x %x %04x %08x   %s\n", frame ? '|' : ' ', i, in->code,
			in->src_reg, in->dst_reg, (unsigned)(uint16_t)in->off, (unsigned)in->imm, text);
	}
	fprintf(f, "  (lines marked | are the frame around the generated body; the body sets all\n"
		"   registers and stack bytes up to insn %zu%s)\n", p->init_end,
		nops ? ", `ja +0` lines left out" : "");
}

static uint64_t load_u64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void print_diff(FILE *f, const struct progen_opts *o, const uint8_t *in,
		       const uint8_t *kern, const uint8_t *ue)
{
	size_t len = progen_buffer_len(o), regs = progen_out_regs(o), st = progen_out_stack(o);
	size_t i, shown = 0;

	for (i = 0; i < PROGEN_OUT_REGS; i++) {
		uint64_t k = load_u64(kern + regs + 8 * i), u = load_u64(ue + regs + 8 * i);

		if (i == 0 || k != u)
			fprintf(f, "  r%zu: kernel 0x%016" PRIx64 ", uebpf 0x%016" PRIx64 "%s\n", i, k, u,
				k != u ? "   <-- differs" : "");
	}
	for (i = 0; i < len; i++) {
		if ((i >= regs && i < st) || kern[i] == ue[i])
			continue;
		if (++shown > 32) {
			fprintf(f, "  (more differing bytes not shown)\n");
			break;
		}
		if (i < regs)
			fprintf(f, "  data[%zu]: input %02x, kernel %02x, uebpf %02x\n", i, in[i],
				kern[i], ue[i]);
		else
			fprintf(f, "  stack[r10%+d]: kernel %02x, uebpf %02x\n",
				(int)(i - st) - (int)(len - st), kern[i], ue[i]);
	}
}

static void print_hex(FILE *f, const char *what, const uint8_t *b, size_t len)
{
	fprintf(f, "  %s:", what);
	for (size_t i = 0; i < len; i++)
		fprintf(f, "%s%02x", i % 32 ? " " : "\n    ", b[i]);
	fputc('\n', f);
}

enum verdict {
	SAME,
	DIFFERENT,
	KERNEL_REFUSED,          /* the verifier said no: a progen bug */
	KERNEL_FAILED,           /* the test run itself failed */
};

struct outcome {
	int kernel_err;          /* load or test-run error */
	struct kbpf_run run;
	int uebpf_err;           /* load or run error */
	struct uebpf_error uerr;
	uint64_t retval;
};

/* Runs one program pair over `input`; outputs land in `kern` and `ue`. */
static enum verdict execute(const struct config *cfg, const struct progen_prog *xdp,
			    const struct progen_prog *raw, const uint8_t *input, uint8_t *kern,
			    uint8_t *ue, char *log, struct outcome *oc, struct stats *st)
{
	const struct progen_opts *o = &cfg->gen;
	size_t len = progen_buffer_len(o);
	struct uebpf_prog *prog = NULL;
	double t0 = now_s();
	int fd;

	memset(oc, 0, sizeof(*oc));
	fd = kbpf_prog_load(BPF_PROG_TYPE_XDP, xdp->insns, xdp->cnt, log, VERIFIER_LOG_LEN);
	if (fd < 0) {
		oc->kernel_err = fd;
		return KERNEL_REFUSED;
	}
	oc->run = (struct kbpf_run){ .data_in = input, .data_in_len = len,
				     .data_out = kern, .data_out_cap = len };
	oc->kernel_err = kbpf_test_run(fd, &oc->run);
	kbpf_close(fd);
	if (st)
		st->kernel_s += now_s() - t0;
	if (oc->kernel_err || oc->run.data_out_len != len || oc->run.retval != XDP_PASS)
		return KERNEL_FAILED;
	if (cfg->kernel_only)
		return SAME;

	memcpy(ue, input, len);
	t0 = now_s();
	oc->uebpf_err = uebpf_prog_load(raw->insns, raw->cnt,
					&(struct uebpf_prog_opts){ .sz = sizeof(struct uebpf_prog_opts),
								   .name = "kdiff" },
					&prog, &oc->uerr);
	if (!oc->uebpf_err)
		oc->uebpf_err = uebpf_prog_run(prog,
					       &(struct uebpf_run_opts){
							.sz = sizeof(struct uebpf_run_opts),
							.mem = ue, .mem_len = len,
							.engine = cfg->engine },
					       &oc->retval, &oc->uerr);
	uebpf_prog_destroy(prog);
	if (st)
		st->uebpf_s += now_s() - t0;

	if (!oc->uebpf_err && oc->retval == load_u64(ue + progen_out_regs(o)) && !memcmp(kern, ue, len))
		return SAME;
	return DIFFERENT;
}

static void set_body_insn(struct progen_prog *xdp, struct progen_prog *raw, size_t i,
			  const struct bpf_insn *in)
{
	xdp->insns[xdp->init_end + i] = *in;
	raw->insns[raw->init_end + i] = *in;
}

/* Shrinks a mismatching body in two steps, keeping the kernel's verdict and
 * the disagreement: first it cuts the body to its shortest prefix that still
 * disagrees (so the last instruction run is where the sides part), then it
 * turns each remaining instruction into `ja +0`, which keeps every jump
 * offset valid, when that changes nothing. The initialisation stays: without
 * it the kernel would read its own pointers left in r1..r3 or uninitialised
 * stack. Returns the instructions left. */
static size_t reduce(const struct config *cfg, struct progen_prog *xdp, struct progen_prog *raw,
		     const uint8_t *input, uint8_t *kern, uint8_t *ue, char *log)
{
	const struct bpf_insn nop = { .code = BPF_JMP | BPF_JA };
	size_t body = raw->body_end - raw->init_end, prefix, left = 0, i;
	struct bpf_insn *orig = malloc(body * sizeof(*orig));
	struct outcome oc;
	bool progress = true;

	if (!orig)
		return body;
	memcpy(orig, &raw->insns[raw->init_end], body * sizeof(*orig));
	for (prefix = 0; prefix < body; prefix++) {
		if (prefix > 0 && isa_is_lddw(&orig[prefix - 1]))
			continue;
		for (i = 0; i < body; i++)
			set_body_insn(xdp, raw, i, i < prefix ? &orig[i] : &nop);
		if (execute(cfg, xdp, raw, input, kern, ue, log, &oc, NULL) == DIFFERENT)
			break;
	}
	for (i = 0; i < body; i++)
		set_body_insn(xdp, raw, i, i < prefix ? &orig[i] : &nop);
	free(orig);

	while (progress) {
		progress = false;
		for (i = 0; i < prefix; i++) {
			struct bpf_insn *r = &raw->insns[raw->init_end + i];
			unsigned n = isa_is_lddw(r) ? 2 : 1;
			struct bpf_insn saved[2];

			if (is_nop(r) || (i > 0 && isa_is_lddw(r - 1)))
				continue;
			memcpy(saved, r, n * sizeof(*r));
			for (unsigned k = 0; k < n; k++)
				set_body_insn(xdp, raw, i + k, &nop);
			if (execute(cfg, xdp, raw, input, kern, ue, log, &oc, NULL) == DIFFERENT) {
				progress = true;
				continue;
			}
			for (unsigned k = 0; k < n; k++)
				set_body_insn(xdp, raw, i + k, &saved[k]);
		}
	}
	for (i = 0; i < body; i++)
		left += !is_nop(&raw->insns[raw->init_end + i]);
	return left;
}

static void report_mismatch(const struct config *cfg, uint64_t seed, const struct progen_prog *raw,
			    const uint8_t *input, const uint8_t *kern, const uint8_t *ue,
			    const struct outcome *oc, bool compact)
{
	const struct progen_opts *o = &cfg->gen;
	size_t len = progen_buffer_len(o);

	if (oc->uebpf_err)
		fprintf(stderr, "  uebpf failed: %s (%d)\n", oc->uerr.msg, oc->uebpf_err);
	else if (oc->retval != load_u64(ue + progen_out_regs(o)))
		fprintf(stderr, "  uebpf returned 0x%" PRIx64 " but its epilogue stored r0 = 0x%" PRIx64 "\n",
			oc->retval, load_u64(ue + progen_out_regs(o)));
	fprintf(stderr, "program for seed %" PRIu64 " (uebpf frame, r1 = buffer):\n", seed);
	print_prog(stderr, raw, compact);
	print_hex(stderr, "input", input, len);
	print_hex(stderr, "kernel output", kern, len);
	if (!oc->uebpf_err)
		print_hex(stderr, "uebpf output", ue, len);
	print_diff(stderr, o, input, kern, ue);
}

/* Runs one seed. Returns 0 when both sides agree, 1 on a mismatch, -1 on an
 * error that stops the run. */
static int run_seed(const struct config *cfg, uint64_t seed, struct stats *st,
		    char *log, uint8_t *bufs)
{
	const struct progen_opts *o = &cfg->gen;
	size_t len = progen_buffer_len(o);
	uint8_t *input = bufs, *kern = bufs + len, *ue = bufs + 2 * len;
	struct progen_prog xdp = { 0 }, raw = { 0 };
	struct outcome oc;
	int status = -1;

	if (progen_generate(seed, o, PROGEN_FRAME_XDP, &xdp) ||
	    progen_generate(seed, o, PROGEN_FRAME_RAW, &raw)) {
		fprintf(stderr, "kdiff: seed %" PRIu64 ": cannot generate a program (bad options?)\n", seed);
		goto out;
	}
	progen_fill_buffer(seed, o, input);
	if (cfg->print) {
		printf("seed %" PRIu64 " (%zu insns, uebpf frame):\n", seed, raw.cnt);
		print_prog(stdout, &raw, false);
	}

	switch (execute(cfg, &xdp, &raw, input, kern, ue, log, &oc, st)) {
	case KERNEL_REFUSED:
		fprintf(stderr, "kdiff: seed %" PRIu64 ": the kernel refused the generated program (%s); "
			"progen must only make programs the verifier accepts. Program (XDP frame):\n",
			seed, strerror(-oc.kernel_err));
		print_prog(stderr, &xdp, false);
		fprintf(stderr, "verifier log (tail):\n%s\n",
			strlen(log) > 4000 ? log + strlen(log) - 4000 : log);
		goto out;
	case KERNEL_FAILED:
		fprintf(stderr, "kdiff: seed %" PRIu64 ": kernel test run failed: %s, out %zu of %zu bytes, "
			"retval %u (expected XDP_PASS)\n", seed,
			oc.kernel_err ? strerror(-oc.kernel_err) : "ok", oc.run.data_out_len, len,
			oc.run.retval);
		goto out;
	case SAME:
		st->programs++;
		st->insns += raw.cnt;
		status = 0;
		goto out;
	case DIFFERENT:
		break;
	}
	st->programs++;
	st->insns += raw.cnt;
	st->mismatches++;
	fprintf(stderr, "kdiff: MISMATCH for seed %" PRIu64 " (reproduce: kdiff --seed %" PRIu64
		" --count 1 --reduce, with the same size options)\n", seed, seed);
	if (cfg->reduce) {
		size_t left = reduce(cfg, &xdp, &raw, input, kern, ue, log);

		fprintf(stderr, "  reduced the body to %zu instructions (the others became `ja +0`)\n",
			left);
		execute(cfg, &xdp, &raw, input, kern, ue, log, &oc, NULL);
	}
	report_mismatch(cfg, seed, &raw, input, kern, ue, &oc, cfg->reduce);
	status = 1;
out:
	progen_prog_free(&xdp);
	progen_prog_free(&raw);
	return status;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kdiff [--count N] [--seed S] [options]\n"
		"Runs N random programs (seeds S, S+1, ...) in the kernel (XDP test run) and in\n"
		"uebpf and demands identical results.\n"
		"  --count N       programs to run (default 1000)\n"
		"  --seed S        first seed (default 1)\n"
		"  --body-len N    at most N random instructions per program (default 64)\n"
		"  --data-len N    bytes of the data area (default 64)\n"
		"  --stack-len N   stack bytes used, multiple of 8 up to 512 (default 64)\n"
		"  --branches N    at most N conditional jumps per program (default 12)\n"
		"  --engine E      uebpf engine: interp (default), jit, default\n"
		"  --kernel-only   only check the kernel accepts and runs every program\n"
		"  --keep-going    report every mismatch instead of stopping at the first\n"
		"  --print         print each program\n"
		"  --reduce        shrink a mismatching program to the instructions that matter\n"
		"  --no-workarounds  also generate shapes that hit known kernel bugs\n"
		"                  (see docs/testing.md)\n");
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && *s && !*end;
}

static int parse_args(int argc, char **argv, struct config *cfg)
{
	static const struct option longopts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "body-len", required_argument, NULL, 'b' },
		{ "data-len", required_argument, NULL, 'd' },
		{ "stack-len", required_argument, NULL, 'k' },
		{ "branches", required_argument, NULL, 'j' },
		{ "engine", required_argument, NULL, 'e' },
		{ "kernel-only", no_argument, NULL, 'K' },
		{ "keep-going", no_argument, NULL, 'g' },
		{ "print", no_argument, NULL, 'p' },
		{ "reduce", no_argument, NULL, 'r' },
		{ "no-workarounds", no_argument, NULL, 'W' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	uint64_t v;
	int c, idx = 0;

	while ((c = getopt_long(argc, argv, "", longopts, &idx)) != -1) {
		switch (c) {
		case 'K': cfg->kernel_only = true; continue;
		case 'g': cfg->keep_going = true; continue;
		case 'p': cfg->print = true; continue;
		case 'r': cfg->reduce = true; continue;
		case 'W': cfg->gen.workarounds = 0; continue;
		case 'h': usage(stdout); exit(0);
		case 'e':
			if (!strcmp(optarg, "interp"))
				cfg->engine = UEBPF_ENGINE_INTERP;
			else if (!strcmp(optarg, "jit"))
				cfg->engine = UEBPF_ENGINE_JIT;
			else if (!strcmp(optarg, "default"))
				cfg->engine = UEBPF_ENGINE_DEFAULT;
			else
				goto bad;
			continue;
		case '?':
			usage(stderr);
			return -1;
		}
		if (!parse_u64(optarg, &v))
			goto bad;
		switch (c) {
		case 'n': cfg->count = v; break;
		case 's': cfg->seed = v; break;
		case 'b': cfg->gen.max_body_len = (uint32_t)v; break;
		case 'd': cfg->gen.data_len = (uint32_t)v; break;
		case 'k': cfg->gen.stack_len = (uint32_t)v; break;
		case 'j': cfg->gen.max_branches = (uint32_t)v; break;
		}
		continue;
bad:
		fprintf(stderr, "kdiff: bad value '%s' for --%s\n", optarg, longopts[idx].name);
		return -1;
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct config cfg = { .seed = 1, .count = 1000, .engine = UEBPF_ENGINE_INTERP,
			      .gen.workarounds = PROGEN_WA_LINUX };
	struct stats st = { 0 };
	struct progen_prog probe;
	char why[512], *log = NULL;
	uint8_t *bufs = NULL;
	int ret, status = 1;
	uint64_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (parse_args(argc, argv, &cfg))
		return 1;
	if (progen_generate(cfg.seed, &cfg.gen, PROGEN_FRAME_RAW, &probe)) {
		fprintf(stderr, "kdiff: invalid size options (data-len >= 8, stack-len a multiple of 8 "
			"in 8..512, body-len <= 4096)\n");
		return 1;
	}
	progen_prog_free(&probe);

	ret = kbpf_probe_xdp(why, sizeof(why));
	if (ret == -EPERM || ret == -EACCES || ret == -ENOSYS) {
		printf("SKIP: %s\n", why);
		return EXIT_SKIP;
	}
	if (ret) {
		fprintf(stderr, "kdiff: %s\n", why);
		return 1;
	}

	log = malloc(VERIFIER_LOG_LEN);
	bufs = malloc(3 * progen_buffer_len(&cfg.gen));
	if (!log || !bufs) {
		fprintf(stderr, "kdiff: out of memory\n");
		goto out;
	}
	printf("kdiff: %" PRIu64 " programs from seed %" PRIu64 "%s\n", cfg.count, cfg.seed,
	       cfg.kernel_only ? " (kernel only)" : "");
	for (i = 0; i < cfg.count; i++) {
		ret = run_seed(&cfg, cfg.seed + i, &st, log, bufs);
		if (ret < 0 || (ret > 0 && !cfg.keep_going))
			goto out;
		if (cfg.count >= 100000 && (i + 1) % 100000 == 0)
			printf("kdiff: %" PRIu64 " done, %" PRIu64 " mismatches\n", i + 1, st.mismatches);
	}
	status = st.mismatches ? 1 : 0;
	printf("kdiff: %" PRIu64 " programs, %" PRIu64 " instructions, %" PRIu64 " mismatches; "
	       "kernel load+run %.2f s, uebpf load+run %.2f s\n",
	       st.programs, st.insns, st.mismatches, st.kernel_s, st.uebpf_s);
out:
	free(log);
	free(bufs);
	return status;
}
