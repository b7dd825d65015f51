/* SPDX-License-Identifier: MIT */
/*
 * bench_verifier: how long uebpf's verifier takes, and how much it
 * explores, next to the kernel's verifier on the same program.
 *
 * Programs: every program of the example objects given on the command line
 * (or found in the build's examples/ folder), synthetic big ones (bounded
 * loops of 100 to 10 000 iterations, chains of 8 to 16 independent
 * branches, 8 000 straight-line instructions) and 1 000 generated XDP
 * programs (vgen). uebpf's time is the fastest of several verifications
 * (warm); the kernel's is the "verification time" its log reports at
 * log_level 4 (BPF_LOG_STATS), from one BPF_PROG_LOAD as root. Without
 * bpf(2) only uebpf's columns are filled. Not a test: prints a table.
 *
 * usage: bench_verifier [--quick] [OBJ...]
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "uebpf/map.h"
#include "uebpf/object.h"
#include "uebpf/verifier.h"
#include "vgen.h"

#ifndef UEBPF_BENCH_EXAMPLES_DIR
#define UEBPF_BENCH_EXAMPLES_DIR "examples"
#endif
#define LOG_LEN (16u << 20)

static char *klog;
static bool have_kernel;
static bool quick;

struct kstats {
	bool loaded, refused;
	uint64_t usec, processed, states;
};

struct ustats {
	bool accepted;
	uint64_t ns, processed, states, pruned;
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void parse_klog(const char *log, struct kstats *k)
{
	const char *p = strstr(log, "verification time ");
	const char *q = strstr(log, "processed ");

	if (p)
		k->usec = strtoull(p + strlen("verification time "), NULL, 10);
	while (q) {
		/* the statistics line: "processed N insns (limit ...) ... total_states T" */
		if (strstr(q, " insns (limit")) {
			const char *t = strstr(q, "total_states ");

			k->processed = strtoull(q + strlen("processed "), NULL, 10);
			if (t)
				k->states = strtoull(t + strlen("total_states "), NULL, 10);
			break;
		}
		q = strstr(q + 1, "processed ");
	}
}

/* uebpf: the fastest of several runs (at least 5, up to ~50 ms). */
static void uebpf_measure(const struct bpf_insn *insns, size_t cnt, const struct uebpf_verify_opts *o,
			  struct ustats *u)
{
	double start = now_ns();
	int runs = 0;

	u->ns = UINT64_MAX;
	do {
		struct uebpf_verify_result *res = NULL;
		const struct uebpf_verify_stats *st;

		uebpf_verify_insns(insns, cnt, o, &res, NULL);
		if (!res)
			return;
		st = uebpf_verify_result_stats(res);
		u->accepted = uebpf_verify_result_accepted(res);
		if (st->time_ns < u->ns)
			u->ns = st->time_ns;
		u->processed = st->insns_processed;
		u->states = st->states_explored;
		u->pruned = st->states_pruned;
		uebpf_verify_result_destroy(res);
		runs++;
	} while (!quick && (runs < 5 || (now_ns() - start < 5e7 && runs < 1000)));
}

static void kernel_measure_insns(uint32_t type, const struct bpf_insn *insns, size_t cnt,
				 struct kstats *k)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .log_buf = klog, .log_size = LOG_LEN, .log_level = 4);
	int fd;

	memset(k, 0, sizeof(*k));
	if (!have_kernel)
		return;
	klog[0] = '\0';
	fd = bpf_prog_load(type, "bench", "GPL", insns, cnt, &o);
	k->loaded = fd >= 0;
	k->refused = fd < 0;
	if (fd >= 0)
		close(fd);
	parse_klog(klog, k);
}

static void row(const char *name, size_t cnt, const struct ustats *u, const struct kstats *k)
{
	char kcol[64] = "           -         -", ratio[32] = "     -";

	if (k->loaded || k->refused) {
		snprintf(kcol, sizeof(kcol), "%12" PRIu64 " %9.1f%s", k->processed, (double)k->usec,
			 k->refused ? "R" : " ");
		if (u->ns && k->usec)
			snprintf(ratio, sizeof(ratio), "%6.1f", (double)k->usec * 1000.0 / (double)u->ns);
	}
	printf("%-52.52s %6zu %10" PRIu64 " %7" PRIu64 " %10.1f%s %s %s\n", name, cnt, u->processed,
	       u->states, (double)u->ns / 1000.0, u->accepted ? " " : "R", kcol, ratio);
}

/* ------------------------------------------------------------- examples */

static void bench_object(const char *path)
{
	struct uebpf_object_opts oopts = { .sz = sizeof(oopts) };
	struct uebpf_verify_map *maps, *inner;
	struct bpf_object *kobj = NULL;
	struct uebpf_object *obj;
	struct uebpf_error err;
	const char *base = strstr(path, "examples/");
	size_t nr_maps, nprogs;
	char **klogs = NULL;
	bool kloaded = false;

	base = base ? base + strlen("examples/") : path;
	if (uebpf_object_open_file(path, &oopts, &obj, &err)) {
		printf("%-52.52s (uebpf cannot open it: %s)\n", base, err.msg);
		return;
	}
	nprogs = uebpf_object_prog_cnt(obj);
	if (have_kernel && (kobj = bpf_object__open_file(path, NULL))) {
		struct bpf_program *p;
		struct bpf_map *m;
		size_t i = 0;

		klogs = calloc(nprogs + 1, sizeof(*klogs));
		bpf_object__for_each_map(m, kobj)
			bpf_map__set_pin_path(m, NULL);
		bpf_object__for_each_program(p, kobj) {
			if (klogs && i < nprogs && (klogs[i] = calloc(1, 1 << 20))) {
				bpf_program__set_log_buf(p, klogs[i], 1 << 20);
				bpf_program__set_log_level(p, 4);
			}
			i++;
		}
		kloaded = bpf_object__load(kobj) == 0;
	}
	nr_maps = uebpf_object_map_cnt(obj);
	maps = calloc(nr_maps + 1, sizeof(*maps));
	inner = calloc(nr_maps + 1, sizeof(*inner));
	for (size_t i = 0; maps && inner && i < nr_maps; i++) {
		struct uebpf_object_map *om = uebpf_object_map_at(obj, i);
		struct uebpf_map_spec spec = { .sz = sizeof(spec) };

		uebpf_object_map_spec(om, &spec);
		maps[i] = (struct uebpf_verify_map){ .name = uebpf_object_map_name(om), .type = spec.type,
						     .key_size = spec.key_size, .value_size = spec.value_size,
						     .max_entries = spec.max_entries, .map_flags = spec.map_flags };
		if (uebpf_object_map_inner(om)) {
			struct uebpf_map_spec in = { .sz = sizeof(in) };

			uebpf_object_map_spec(uebpf_object_map_inner(om), &in);
			inner[i] = (struct uebpf_verify_map){ .type = in.type, .key_size = in.key_size,
							      .value_size = in.value_size,
							      .max_entries = in.max_entries };
			maps[i].inner_map = &inner[i];
		}
	}
	for (size_t i = 0; maps && inner && i < nprogs; i++) {
		struct uebpf_object_prog *p = uebpf_object_prog_at(obj, i);
		struct uebpf_verify_opts o = { .sz = sizeof(o) };
		struct ustats u = { 0 };
		struct kstats k = { 0 };
		const struct bpf_insn *insns;
		char name[200];
		size_t cnt;

		o.prog_type = uebpf_object_prog_type(p);
		o.expected_attach_type = uebpf_object_prog_expected_attach_type(p);
		o.maps = maps;
		o.nr_maps = nr_maps;
		if (!uebpf_prog_type_name(o.prog_type))
			continue;
		insns = uebpf_object_prog_insns(p, &cnt);
		uebpf_measure(insns, cnt, &o, &u);
		if (kloaded) {
			struct bpf_program *kp = bpf_object__find_program_by_name(kobj,
									uebpf_object_prog_name(p));
			size_t log_size = 0;
			const char *log = kp ? bpf_program__log_buf(kp, &log_size) : NULL;

			if (log) {
				k.loaded = true;
				parse_klog(log, &k);
			}
		}
		snprintf(name, sizeof(name), "%s:%s", base, uebpf_object_prog_name(p));
		row(name, cnt, &u, &k);
	}
	free(maps);
	free(inner);
	if (kobj)
		bpf_object__close(kobj);
	for (size_t i = 0; klogs && i < nprogs; i++)
		free(klogs[i]);
	free(klogs);
	uebpf_object_destroy(obj);
}

static void find_objects(const char *dir, char ***list, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[4096];
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			find_objects(path, list, n);
		} else if (len > 6 && !strcmp(e->d_name + len - 6, ".bpf.o")) {
			char **l = realloc(*list, (*n + 1) * sizeof(**list));

			if (!l)
				break;
			*list = l;
			(*list)[(*n)++] = strdup(path);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ------------------------------------------------------------ synthetic */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), \
						.off = (o), .imm = (i) })

/* r0 = 0; r1 = 0; loop: r0 += r1; r1 += 1; if r1 < n goto loop; r0 = 2; exit */
static size_t prog_loop(struct bpf_insn *p, int32_t n)
{
	size_t k = 0;

	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 1, 0, 0, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_ADD | BPF_X, 0, 1, 0, 0);
	p[k++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 1);
	p[k++] = INSN(BPF_JMP | BPF_JLT | BPF_K, 1, 0, -3, n);
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS);
	p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return k;
}

/* An unknown number from the context, then n diamonds each testing one of
 * its bits and adding 1 or 2 to r3, which the program returns: 2^n paths
 * unless the verifier merges them. */
static size_t prog_branches(struct bpf_insn *p, int n)
{
	size_t k = 0;

	p[k++] = INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 12, 0);   /* ingress_ifindex */
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 3, 0, 0, 0);
	for (int i = 0; i < n; i++) {
		p[k++] = INSN(BPF_JMP | BPF_JSET | BPF_K, 2, 0, 2, 1 << (i % 31));
		p[k++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, 1);
		p[k++] = INSN(BPF_JMP | BPF_JA, 0, 0, 1, 0);
		p[k++] = INSN(BPF_ALU64 | BPF_ADD | BPF_K, 3, 0, 0, 2);
	}
	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 0, 3, 0, 0);
	p[k++] = INSN(BPF_ALU | BPF_AND | BPF_K, 0, 0, 0, 3);
	p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return k;
}

/* n straight-line ALU instructions. */
static size_t prog_straight(struct bpf_insn *p, int n)
{
	size_t k = 0;

	p[k++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
	for (int i = 0; i < n; i++)
		p[k++] = INSN(BPF_ALU64 | (i % 3 == 0 ? BPF_ADD : i % 3 == 1 ? BPF_XOR : BPF_LSH) | BPF_K,
			      0, 0, 0, i % 3 == 2 ? 1 : i);
	p[k++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return k;
}

static void bench_synthetic(void)
{
	static struct bpf_insn buf[16384];
	struct uebpf_verify_opts o = { .sz = sizeof(o), .prog_type = BPF_PROG_TYPE_XDP };
	static const int32_t loops[] = { 100, 1000, 10000 };
	static const int branches[] = { 8, 12, 16 };

	for (size_t i = 0; i < sizeof(loops) / sizeof(loops[0]); i++) {
		struct ustats u = { 0 };
		struct kstats k;
		size_t cnt = prog_loop(buf, loops[i]);
		char name[64];

		uebpf_measure(buf, cnt, &o, &u);
		kernel_measure_insns(BPF_PROG_TYPE_XDP, buf, cnt, &k);
		snprintf(name, sizeof(name), "synthetic: bounded loop, %d iterations", loops[i]);
		row(name, cnt, &u, &k);
	}
	for (size_t i = 0; i < sizeof(branches) / sizeof(branches[0]); i++) {
		struct ustats u = { 0 };
		struct kstats k;
		size_t cnt = prog_branches(buf, branches[i]);
		char name[64];

		uebpf_measure(buf, cnt, &o, &u);
		kernel_measure_insns(BPF_PROG_TYPE_XDP, buf, cnt, &k);
		snprintf(name, sizeof(name), "synthetic: %d independent branches", branches[i]);
		row(name, cnt, &u, &k);
	}
	{
		struct ustats u = { 0 };
		struct kstats k;
		size_t cnt = prog_straight(buf, 8000);

		uebpf_measure(buf, cnt, &o, &u);
		kernel_measure_insns(BPF_PROG_TYPE_XDP, buf, cnt, &k);
		row("synthetic: 8000 straight-line ALU instructions", cnt, &u, &k);
	}
}

/* Generated XDP programs: the totals over n of them. */
static void bench_vgen(unsigned n)
{
	struct vgen_opts go = { .kind = VGEN_XDP };
	struct ustats total = { 0 };
	struct kstats ktotal = { 0 };
	size_t insns = 0;
	unsigned both = 0;

	for (unsigned i = 0; i < n; i++) {
		struct uebpf_verify_map m = { 0 };
		struct uebpf_verify_opts o = { .sz = sizeof(o), .prog_type = BPF_PROG_TYPE_XDP };
		struct ustats u = { 0 };
		struct kstats k = { 0 };
		struct vgen_prog p;
		int fd = -1;

		if (vgen_generate(i + 1, &go, &p))
			break;
		if (p.uses_map) {
			m = (struct uebpf_verify_map){ .type = BPF_MAP_TYPE_ARRAY, .key_size = 4,
						       .value_size = p.map_value_size,
						       .max_entries = p.map_max_entries };
			o.maps = &m;
			o.nr_maps = 1;
		}
		uebpf_measure(p.insns, p.cnt, &o, &u);
		if (have_kernel && p.uses_map)
			fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, p.map_value_size,
					    p.map_max_entries, NULL);
		for (size_t j = 0; fd >= 0 && j + 1 < p.cnt; j++)
			if (p.insns[j].code == (BPF_LD | BPF_IMM | BPF_DW) && p.insns[j].src_reg == 1)
				p.insns[j].imm = fd;
		if (!p.uses_map || fd >= 0)
			kernel_measure_insns(BPF_PROG_TYPE_XDP, p.insns, p.cnt, &k);
		if (fd >= 0)
			close(fd);
		/* only programs both accept: refusals stop at different places */
		if (u.accepted && k.loaded) {
			both++;
			insns += p.cnt;
			total.ns += u.ns;
			total.processed += u.processed;
			total.states += u.states;
			ktotal.usec += k.usec;
			ktotal.processed += k.processed;
			ktotal.states += k.states;
		}
		vgen_prog_free(&p);
	}
	if (both) {
		char name[96];

		total.accepted = true;
		ktotal.loaded = true;
		snprintf(name, sizeof(name), "vgen: %u XDP programs both accept (sum)", both);
		row(name, insns, &total, &ktotal);
	}
}

int main(int argc, char **argv)
{
	char **objs = NULL;
	size_t nobjs = 0;
	int first = 1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "--quick")) {
		quick = true;
		first = 2;
	}
	klog = malloc(LOG_LEN);
	if (!klog)
		return 1;
	libbpf_set_print(NULL);
	{
		/* r0 = XDP_PASS; exit: can this process load programs? */
		struct bpf_insn pass[] = { INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS),
					   INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0) };
		int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "probe", "GPL", pass, 2, NULL);

		have_kernel = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	if (argc > first) {
		for (int i = first; i < argc; i++) {
			objs = realloc(objs, (nobjs + 1) * sizeof(*objs));
			objs[nobjs++] = strdup(argv[i]);
		}
	} else {
		find_objects(UEBPF_BENCH_EXAMPLES_DIR, &objs, &nobjs);
	}
	qsort(objs, nobjs, sizeof(*objs), cmp_str);

	printf("verifier speed: uebpf (fastest of several runs) vs the kernel (log_level 4 "
	       "\"verification time\")%s\n", have_kernel ? "" : "; kernel: bpf() not permitted here");
	printf("%-52s %6s %10s %7s %11s %12s %10s %6s\n", "program", "insns", "uebpf proc", "states",
	       "uebpf us", "kernel proc", "kernel us", "k/u");
	for (size_t i = 0; i < nobjs; i++) {
		bench_object(objs[i]);
		free(objs[i]);
	}
	free(objs);
	bench_synthetic();
	bench_vgen(quick ? 100 : 1000);
	printf("(R: refused; uebpf proc/kernel proc: instructions processed; states: stored for "
	       "pruning; k/u: kernel time / uebpf time)\n");
	free(klog);
	return 0;
}
