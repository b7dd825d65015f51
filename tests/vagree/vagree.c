/* SPDX-License-Identifier: MIT */
/*
 * vagree: does uebpf's verifier accept and refuse the same programs as the
 * Linux kernel's?
 *
 * Three sources of programs, each loaded into both verifiers (the kernel
 * through BPF_PROG_LOAD as a privileged loader):
 *  - the verifier corpus, tests/verifier/{accept,reject}/NAME.s, with the
 *    program type, maps and attach type their headers declare. Raw-type
 *    programs (r1 = a buffer of `mem` bytes, r2 = its length) have no
 *    kernel type; they are wrapped as XDP programs whose first
 *    instructions set r1 to the value of a one-entry array map of `mem`
 *    bytes (lddw map_value, the kernel's closest kind of pointer: a known
 *    size, bounded variable offsets) and r2 = mem. Strict (unprivileged)
 *    programs are compared only when unprivileged bpf() is enabled;
 *  - the example objects (examples/GROUP/NAME.bpf.o in the build dir), one
 *    program at a time, through libbpf on the kernel side and the object
 *    loader on uebpf's;
 *  - generated XDP programs (vgen, the soundness fuzzer's generator).
 *
 * It prints the counts (both accept, both refuse, uebpf-only accept,
 * kernel-only accept) per source and every disagreement with both
 * reasons. Corpus and example disagreements must be listed in
 * tests/vagree/deliberate.txt (name, direction, one-line justification;
 * mirrored in docs/verifier.md) or the test fails. Generated programs are
 * reported grouped by reason; one that uebpf accepts and the kernel
 * refuses is run in the shadow interpreter (tests/vsound/shadow.h) on
 * vsound's inputs and fails the test when it faults there (otherwise
 * uebpf merely tracked bounds more tightly than the kernel).
 *
 * usage: vagree [--corpus DIR] [--deliberate FILE] [--vgen N] [--seed S]
 *               [--verbose] [OBJ...]
 * Exit: 0 agreement (or only deliberate differences), 1 otherwise, 77 when
 * bpf() is not permitted here.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "corpus_spec.h"
#include "kbpf.h"
#include "shadow.h"
#include "uebpf/asm.h"
#include "uebpf/map.h"
#include "uebpf/object.h"
#include "uebpf/verifier.h"
#include "vgen.h"

#define EXIT_SKIP 77
#define LOG_LEN (4u << 20)
#define REASON_LEN 240

enum verdict_kind { BOTH_ACCEPT, BOTH_REFUSE, UEBPF_ONLY, KERNEL_ONLY, SKIPPED, NR_KINDS };

static const char *kind_names[NR_KINDS] = {
	"both accept", "both refuse", "uebpf-only accept", "kernel-only accept", "not compared",
};

struct source_counts {
	const char *name;
	unsigned n[NR_KINDS];
	unsigned deliberate, unexplained;
};

struct deliberate {
	char name[200];
	char direction[32];     /* uebpf-only-accept | kernel-only-accept */
	char why[300];
	bool used;
};

static struct deliberate *table;
static size_t nr_table;
static bool verbose;
static char *klog;             /* kernel verifier log buffer */

/* ----------------------------------------------------------------- text */

/* The line of a kernel verifier log that says why: the last one that is
 * not a statistics line. */
static void kernel_reason(const char *log, int err, char *out, size_t len)
{
	const char *p = log, *best = NULL;
	size_t best_len = 0;

	while (p && *p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n && strncmp(p, "processed ", 10) && strncmp(p, "verification time", 17) &&
		    strncmp(p, "stack depth", 11) && strncmp(p, "-- END", 6)) {
			best = p;
			best_len = n;
		}
		p = e ? e + 1 : NULL;
	}
	if (best)
		snprintf(out, len, "%.*s", (int)(best_len < 200 ? best_len : 200), best);
	else
		snprintf(out, len, "%s", strerror(-err));
}

/* ------------------------------------------------------------ the table */

static int load_table(const char *path)
{
	char *text = corpus_read_file(path), *line, *save = NULL;

	if (!text) {
		fprintf(stderr, "vagree: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct deliberate d = { 0 };
		int consumed = 0;

		if (line[0] == '#' || !line[0])
			continue;
		if (sscanf(line, "%199s %31s %n", d.name, d.direction, &consumed) < 2 || !consumed ||
		    (strcmp(d.direction, "uebpf-only-accept") && strcmp(d.direction, "kernel-only-accept"))) {
			fprintf(stderr, "vagree: %s: bad line '%s' (want: NAME uebpf-only-accept|"
				"kernel-only-accept WHY)\n", path, line);
			free(text);
			return -1;
		}
		snprintf(d.why, sizeof(d.why), "%s", line + consumed);
		table = realloc(table, (nr_table + 1) * sizeof(*table));
		if (!table) {
			free(text);
			return -1;
		}
		table[nr_table++] = d;
	}
	free(text);
	return 0;
}

static struct deliberate *find_deliberate(const char *name, enum verdict_kind k)
{
	const char *dir = k == UEBPF_ONLY ? "uebpf-only-accept" : "kernel-only-accept";

	for (size_t i = 0; i < nr_table; i++)
		if (!strcmp(table[i].name, name) && !strcmp(table[i].direction, dir))
			return &table[i];
	return NULL;
}

/* Records one comparison and prints it when it is a disagreement (or
 * always with --verbose). */
static void record(struct source_counts *c, const char *name, bool u_ok, const char *u_why,
		   bool k_ok, const char *k_why)
{
	enum verdict_kind k = u_ok ? (k_ok ? BOTH_ACCEPT : UEBPF_ONLY) : (k_ok ? KERNEL_ONLY : BOTH_REFUSE);
	struct deliberate *d = NULL;

	c->n[k]++;
	if (k == UEBPF_ONLY || k == KERNEL_ONLY) {
		d = find_deliberate(name, k);
		if (d) {
			d->used = true;
			c->deliberate++;
		} else {
			c->unexplained++;
		}
		printf("%s %s: %s\n    uebpf:  %s\n    kernel: %s\n", d ? "deliberate  " : "DISAGREEMENT",
		       name, kind_names[k], u_ok ? "accepted" : u_why, k_ok ? "accepted" : k_why);
		if (d)
			printf("    why:    %s\n", d->why);
	} else if (verbose) {
		printf("agree        %s: %s\n", name, kind_names[k]);
	}
}

static void skip(struct source_counts *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void skip(struct source_counts *c, const char *name, const char *fmt, ...)
{
	va_list ap;

	c->n[SKIPPED]++;
	if (!verbose)
		return;
	printf("not compared %s: ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* --------------------------------------------------------------- corpus */

static void close_fds(int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Kernel maps for the header's maps; fds[i] = -1 where none was made. */
static int make_kernel_maps(const struct corpus_spec *s, int *fds, char *why, size_t why_len)
{
	for (size_t i = 0; i < s->opts.nr_maps; i++)
		fds[i] = -1;
	for (size_t i = 0; i < s->opts.nr_maps; i++) {
		const struct uebpf_verify_map *m = &s->maps[i];
		LIBBPF_OPTS(bpf_map_create_opts, o, .map_flags = m->map_flags);

		fds[i] = bpf_map_create(m->type, NULL, m->key_size, m->value_size, m->max_entries, &o);
		if (fds[i] < 0) {
			snprintf(why, why_len, "the kernel cannot create map %zu (%s): %s", i, m->name,
				 strerror(errno));
			close_fds(fds, i);
			return -1;
		}
	}
	return 0;
}

/* lddw map references: uebpf's indexes into the map table become the
 * kernel's file descriptors. */
static void patch_maps(struct bpf_insn *insns, size_t cnt, const int *fds, size_t nr_fds)
{
	for (size_t i = 0; i + 1 < cnt; i++) {
		struct bpf_insn *in = &insns[i];

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		/* an index past the table must stay invalid for the kernel too,
		 * not become whatever descriptor happens to have that number */
		if (in->src_reg == 1 || in->src_reg == 5) {
			in->src_reg = BPF_PSEUDO_MAP_FD;
			in->imm = (size_t)in->imm < nr_fds ? fds[in->imm] : -1;
		} else if (in->src_reg == 2 || in->src_reg == 6) {
			in->src_reg = BPF_PSEUDO_MAP_VALUE;
			in->imm = (size_t)in->imm < nr_fds ? fds[in->imm] : -1;
		}
		i++;
	}
}

static bool has_legacy_packet_loads(const struct bpf_insn *insns, size_t cnt)
{
	for (size_t i = 0; i < cnt; i++)
		if ((insns[i].code & 0x07) == BPF_LD && (insns[i].code & 0xe0) != BPF_IMM)
			return true;
	return false;
}

/* Loads into the kernel. Returns 0 (accepted), 1 (refused: why holds the
 * verifier's reason) or -1 (could not be compared: why says so). */
static int kernel_verdict(uint32_t type, uint32_t attach, uint32_t btf_id, const struct bpf_insn *insns,
			  size_t cnt, char *why, size_t why_len)
{
	LIBBPF_OPTS(bpf_prog_load_opts, o, .expected_attach_type = attach,
		    .attach_btf_id = btf_id, .log_buf = klog, .log_size = LOG_LEN, .log_level = 0);
	int fd;

	klog[0] = '\0';
	fd = bpf_prog_load(type, "vagree", "GPL", insns, cnt, &o);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EPERM && !klog[0]) {
		snprintf(why, why_len, "bpf(BPF_PROG_LOAD) not permitted: %s", strerror(errno));
		return -1;
	}
	kernel_reason(klog, -errno, why, why_len);
	return 1;
}

static int tracing_target(uint32_t attach, uint32_t *btf_id, char *why, size_t why_len)
{
	/* functions the kernel's test-run code provides for this purpose */
	const char *target = attach == BPF_TRACE_RAW_TP ? "sys_enter" :
			     attach == BPF_MODIFY_RETURN ? "bpf_modify_return_test" : "bpf_fentry_test1";
	int id = libbpf_find_vmlinux_btf_id(target, attach);

	if (id < 0) {
		snprintf(why, why_len, "no BTF id for %s in vmlinux: %s", target, strerror(-id));
		return -1;
	}
	*btf_id = (uint32_t)id;
	return 0;
}

static void compare_corpus_file(struct source_counts *c, const char *dir, const char *sub,
				const char *file)
{
	char path[4096], name[300], why[REASON_LEN] = "", uwhy[REASON_LEN] = "";
	struct uebpf_verify_result *res = NULL;
	struct bpf_insn *insns = NULL, *kinsns = NULL;
	int fds[CORPUS_MAX_MAPS + 1], buf_fd = -1;
	struct uebpf_error err;
	size_t cnt, kcnt;
	struct corpus_spec s;
	char *text;
	uint32_t ktype, btf_id = 0;
	bool u_ok;
	int k;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, sub, file);
	snprintf(name, sizeof(name), "%s/%s", sub, file);
	text = corpus_read_file(path);
	if (!text || corpus_parse_header(text, &s, why, sizeof(why)) ||
	    uebpf_asm(text, &insns, &cnt, &err)) {
		skip(c, name, "cannot read, parse or assemble it");
		goto out;
	}
	if (s.opts.strict) {
		skip(c, name, "strict (unprivileged) rules; kernel.unprivileged_bpf_disabled forbids "
		     "comparing them");
		goto out;
	}
	uebpf_verify_insns(insns, cnt, &s.opts, &res, &err);
	if (!res) {
		skip(c, name, "uebpf could not verify at all: %s", err.msg);
		goto out;
	}
	u_ok = uebpf_verify_result_accepted(res);
	if (!u_ok)
		snprintf(uwhy, sizeof(uwhy), "%s", uebpf_verify_result_refusal(res)->reason);

	ktype = s.opts.prog_type;
	kcnt = cnt;
	if (ktype == UEBPF_PROG_TYPE_RAW) {
		/* r1 = &value of a one-entry array map of mem bytes, r2 = mem */
		if (has_legacy_packet_loads(insns, cnt)) {
			skip(c, name, "raw program with ld_abs/ld_ind: no kernel type reads the same bytes");
			goto out;
		}
		ktype = BPF_PROG_TYPE_XDP;
		kcnt = cnt + 3;
		kinsns = calloc(kcnt, sizeof(*kinsns));
		if (!kinsns)
			goto out;
		memcpy(kinsns + 3, insns, cnt * sizeof(*insns));
		if (s.opts.mem_size) {
			LIBBPF_OPTS(bpf_map_create_opts, mo);

			buf_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, (uint32_t)s.opts.mem_size, 1, &mo);
			if (buf_fd < 0) {
				skip(c, name, "cannot create the buffer map: %s", strerror(errno));
				goto out;
			}
			kinsns[0] = (struct bpf_insn){ .code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1,
						       .src_reg = BPF_PSEUDO_MAP_VALUE, .imm = buf_fd };
			kinsns[1] = (struct bpf_insn){ 0 };
		} else {
			kinsns[0] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 1 };
			kinsns[1] = (struct bpf_insn){ .code = BPF_JMP | BPF_JA };
		}
		kinsns[2] = (struct bpf_insn){ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 2,
					       .imm = (int32_t)s.opts.mem_size };
	} else {
		kinsns = malloc(cnt * sizeof(*kinsns));
		if (!kinsns)
			goto out;
		memcpy(kinsns, insns, cnt * sizeof(*insns));
	}
	if (ktype == BPF_PROG_TYPE_TRACING && !s.opts.expected_attach_type)
		s.opts.expected_attach_type = BPF_TRACE_FENTRY;   /* uebpf's default for tracing */
	if (ktype == BPF_PROG_TYPE_TRACING && tracing_target(s.opts.expected_attach_type, &btf_id,
							    why, sizeof(why))) {
		skip(c, name, "%s", why);
		goto out;
	}
	if (make_kernel_maps(&s, fds, why, sizeof(why))) {
		skip(c, name, "%s", why);
		goto out;
	}
	patch_maps(ktype != s.opts.prog_type ? kinsns + 3 : kinsns, cnt, fds, s.opts.nr_maps);
	k = kernel_verdict(ktype, s.opts.expected_attach_type, btf_id, kinsns, kcnt, why, sizeof(why));
	close_fds(fds, s.opts.nr_maps);
	if (k < 0) {
		skip(c, name, "%s", why);
		goto out;
	}
	record(c, name, u_ok, uwhy, k == 0, why);
out:
	if (buf_fd >= 0)
		close(buf_fd);
	uebpf_verify_result_destroy(res);
	free(insns);
	free(kinsns);
	free(text);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void compare_corpus(struct source_counts *c, const char *dir)
{
	static const char *subs[] = { "accept", "reject" };

	for (size_t k = 0; k < 2; k++) {
		char path[4096], **names = NULL;
		size_t n = 0;
		struct dirent *e;
		DIR *d;

		snprintf(path, sizeof(path), "%s/%s", dir, subs[k]);
		d = opendir(path);
		if (!d) {
			fprintf(stderr, "vagree: cannot open %s: %s\n", path, strerror(errno));
			continue;
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
			names[n++] = strdup(e->d_name);
		}
		closedir(d);
		qsort(names, n, sizeof(*names), cmp_str);
		for (size_t i = 0; i < n; i++) {
			compare_corpus_file(c, dir, subs[k], names[i]);
			free(names[i]);
		}
		free(names);
	}
}

/* ------------------------------------------------------------- examples */

static char libbpf_msgs[1 << 16];
static size_t libbpf_msgs_len;

static int capture_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level == LIBBPF_DEBUG)
		return 0;
	n = vsnprintf(libbpf_msgs + libbpf_msgs_len, sizeof(libbpf_msgs) - libbpf_msgs_len, fmt, ap);
	if (n > 0)
		libbpf_msgs_len = libbpf_msgs_len + (size_t)n < sizeof(libbpf_msgs) ?
				  libbpf_msgs_len + (size_t)n : sizeof(libbpf_msgs) - 1;
	return 0;
}

/* Pinning is about sharing maps between loads, not about verification:
 * off, so an old pin of another shape cannot fail the load. */
static void unpin_maps(struct bpf_object *obj)
{
	struct bpf_map *m;

	bpf_object__for_each_map(m, obj)
		bpf_map__set_pin_path(m, NULL);
}

/* Loads the whole object: when that works, the kernel accepts every
 * program in it (and programs that need each other, such as the targets
 * of a program array's initial values, load together). */
static bool kernel_object_loads_whole(const char *path)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	int ret;

	if (!obj)
		return false;
	unpin_maps(obj);
	ret = bpf_object__load(obj);
	bpf_object__close(obj);
	return ret == 0;
}

/* The kernel's verdict on one program of an object, loaded alone. */
static int kernel_object_verdict(const char *path, const char *prog_name, char *why, size_t why_len)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *p;
	bool loaded;
	int ret;

	if (!obj) {
		snprintf(why, why_len, "libbpf cannot open the object: %s", strerror(errno));
		return -1;
	}
	unpin_maps(obj);
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), prog_name));
	p = bpf_object__find_program_by_name(obj, prog_name);
	if (p) {
		bpf_program__set_log_buf(p, klog, LOG_LEN);
		bpf_program__set_log_level(p, 1);
	}
	klog[0] = '\0';
	libbpf_msgs_len = 0;
	libbpf_msgs[0] = '\0';
	ret = bpf_object__load(obj);
	/* the program may have loaded although the object failed later (a
	 * program array whose initial values name programs not loaded) */
	loaded = p && bpf_program__fd(p) >= 0;
	bpf_object__close(obj);
	if (!ret || loaded)
		return 0;
	if (klog[0]) {
		kernel_reason(klog, ret, why, why_len);
		return 1;
	}
	/* failed before the verifier ran (maps, relocations, attach target) */
	kernel_reason(libbpf_msgs, ret, why, why_len);
	return -1;
}

static void verify_maps_of(struct uebpf_object *obj, struct uebpf_verify_map *maps,
			   struct uebpf_verify_map *inner, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct uebpf_object_map *om = uebpf_object_map_at(obj, i);
		struct uebpf_map_spec spec = { .sz = sizeof(spec) };

		uebpf_object_map_spec(om, &spec);
		maps[i] = (struct uebpf_verify_map){ .name = uebpf_object_map_name(om), .type = spec.type,
						     .key_size = spec.key_size, .value_size = spec.value_size,
						     .max_entries = spec.max_entries,
						     .map_flags = spec.map_flags };
		if (uebpf_object_map_inner(om)) {
			struct uebpf_map_spec in = { .sz = sizeof(in) };

			uebpf_object_map_spec(uebpf_object_map_inner(om), &in);
			inner[i] = (struct uebpf_verify_map){ .name = in.name, .type = in.type,
							      .key_size = in.key_size,
							      .value_size = in.value_size,
							      .max_entries = in.max_entries,
							      .map_flags = in.map_flags };
			maps[i].inner_map = &inner[i];
		}
	}
}

static void compare_object(struct source_counts *c, const char *path)
{
	struct uebpf_object_opts oopts = { .sz = sizeof(oopts) };
	struct uebpf_verify_map *maps = NULL, *inner = NULL;
	struct uebpf_object *obj;
	struct uebpf_error err;
	const char *base = strstr(path, "examples/");
	size_t nr_maps;
	bool whole;

	base = base ? base + strlen("examples/") : path;
	if (uebpf_object_open_file(path, &oopts, &obj, &err)) {
		char name[300];

		snprintf(name, sizeof(name), "example:%s", base);
		skip(c, name, "uebpf cannot open it: %s", err.msg);
		return;
	}
	whole = kernel_object_loads_whole(path);
	nr_maps = uebpf_object_map_cnt(obj);
	maps = calloc(nr_maps + 1, sizeof(*maps));
	inner = calloc(nr_maps + 1, sizeof(*inner));
	if (!maps || !inner)
		goto out;
	verify_maps_of(obj, maps, inner, nr_maps);
	for (size_t i = 0; i < uebpf_object_prog_cnt(obj); i++) {
		struct uebpf_object_prog *p = uebpf_object_prog_at(obj, i);
		struct uebpf_verify_opts o = { .sz = sizeof(o) };
		struct uebpf_verify_result *res = NULL;
		char name[400], uwhy[REASON_LEN] = "", kwhy[REASON_LEN] = "";
		const struct bpf_insn *insns;
		size_t cnt;
		bool u_ok;
		int k;

		snprintf(name, sizeof(name), "example:%s:%s", base, uebpf_object_prog_name(p));
		insns = uebpf_object_prog_insns(p, &cnt);
		o.prog_type = uebpf_object_prog_type(p);
		o.expected_attach_type = uebpf_object_prog_expected_attach_type(p);
		o.maps = maps;
		o.nr_maps = nr_maps;
		if (!uebpf_prog_type_name(o.prog_type)) {
			u_ok = false;
			snprintf(uwhy, sizeof(uwhy), "program type %u (section %s) is not supported",
				 o.prog_type, uebpf_object_prog_section(p));
		} else {
			uebpf_verify_insns(insns, cnt, &o, &res, &err);
			if (!res) {
				skip(c, name, "uebpf could not verify at all: %s", err.msg);
				continue;
			}
			u_ok = uebpf_verify_result_accepted(res);
			if (!u_ok)
				snprintf(uwhy, sizeof(uwhy), "%s", uebpf_verify_result_refusal(res)->reason);
			uebpf_verify_result_destroy(res);
		}
		k = whole ? 0 : kernel_object_verdict(path, uebpf_object_prog_name(p), kwhy, sizeof(kwhy));
		if (k < 0) {
			skip(c, name, "the kernel side did not reach its verifier: %s", kwhy);
			continue;
		}
		record(c, name, u_ok, uwhy, k == 0, kwhy);
	}
out:
	free(maps);
	free(inner);
	uebpf_object_destroy(obj);
}

/* ---------------------------------------------------------------- vgen */

struct reason_count {
	char text[REASON_LEN];
	unsigned n;
	uint64_t example_seed;
};

/* Kernel reasons with numbers and register names blanked, so they group. */
static void normalise(const char *in, char *out, size_t len)
{
	size_t k = 0;

	for (const char *p = in; *p && k + 1 < len; p++) {
		if ((*p >= '0' && *p <= '9') || (*p == 'R' && p[1] >= '0' && p[1] <= '9')) {
			if (*p == 'R')
				out[k++] = 'R';
			while (p[1] >= '0' && p[1] <= '9')
				p++;
			if (k + 1 < len)
				out[k++] = 'N';
			continue;
		}
		out[k++] = *p;
	}
	out[k] = '\0';
}

static void count_reason(struct reason_count *rc, size_t *nr, size_t cap, const char *why,
			 uint64_t seed)
{
	char key[REASON_LEN];

	normalise(why, key, sizeof(key));
	for (size_t i = 0; i < *nr; i++)
		if (!strcmp(rc[i].text, key)) {
			rc[i].n++;
			return;
		}
	if (*nr < cap) {
		snprintf(rc[*nr].text, sizeof(rc[*nr].text), "%s", key);
		rc[*nr].n = 1;
		rc[*nr].example_seed = seed;
		(*nr)++;
	}
}

/* A generated program uebpf accepts and the kernel refuses: does it do
 * anything unsafe on its inputs? The shadow interpreter (vsound's oracle)
 * runs it on the inputs vsound uses. Returns true when it faults, with the
 * fault in `why`. */
static bool vgen_unsafe(uint64_t seed, const struct vgen_prog *p, char *why, size_t why_len)
{
	for (unsigned run = 0; run < 8; run++) {
		size_t len = run == 3 ? p->data_len - 1 : p->data_len + run * 3;
		uint8_t buf[256];
		struct shadow_input in = {
			.ctx = SHADOW_CTX_XDP, .data = buf, .data_len = len,
			.map_value_size = p->uses_map ? p->map_value_size : 0,
			.map_max_entries = p->map_max_entries, .insn_budget = 1000000,
		};
		struct shadow_result res;

		vgen_fill_input(seed, run, buf, len);
		shadow_run(p->insns, p->cnt, &in, &res);
		if (res.verdict == SHADOW_VIOLATION) {
			snprintf(why, why_len, "run %u, insn %ld: %s", run, res.insn_idx, res.why);
			return true;
		}
	}
	return false;
}

static void compare_vgen(struct source_counts *c, uint64_t seed, uint64_t count)
{
	struct reason_count uonly[64], konly[64];
	size_t nu = 0, nk = 0;
	struct vgen_opts gopts = { .kind = VGEN_XDP };

	for (uint64_t i = 0; i < count; i++) {
		struct uebpf_verify_map m = { 0 };
		struct uebpf_verify_opts o = { .sz = sizeof(o), .prog_type = BPF_PROG_TYPE_XDP };
		struct uebpf_verify_result *res = NULL;
		char kwhy[REASON_LEN] = "", uwhy[REASON_LEN] = "";
		struct vgen_prog p;
		int fd = -1, k;
		bool u_ok;

		if (vgen_generate(seed + i, &gopts, &p))
			break;
		if (p.uses_map) {
			LIBBPF_OPTS(bpf_map_create_opts, mo);

			m = (struct uebpf_verify_map){ .name = "vmap", .type = BPF_MAP_TYPE_ARRAY,
						       .key_size = VGEN_MAP_KEY_SIZE,
						       .value_size = p.map_value_size,
						       .max_entries = p.map_max_entries };
			o.maps = &m;
			o.nr_maps = 1;
			fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, VGEN_MAP_KEY_SIZE, p.map_value_size,
					    p.map_max_entries, &mo);
			if (fd < 0) {
				skip(c, "vgen", "cannot create a map: %s", strerror(errno));
				vgen_prog_free(&p);
				continue;
			}
		}
		uebpf_verify_insns(p.insns, p.cnt, &o, &res, NULL);
		u_ok = uebpf_verify_result_accepted(res);
		if (res && !u_ok)
			snprintf(uwhy, sizeof(uwhy), "%s", uebpf_verify_result_refusal(res)->reason);
		uebpf_verify_result_destroy(res);
		if (fd >= 0)
			for (size_t j = 0; j + 1 < p.cnt; j++)
				if (p.insns[j].code == (BPF_LD | BPF_IMM | BPF_DW) && p.insns[j].src_reg == 1)
					p.insns[j].imm = fd;
		k = kernel_verdict(BPF_PROG_TYPE_XDP, 0, 0, p.insns, p.cnt, kwhy, sizeof(kwhy));
		if (fd >= 0)
			close(fd);
		if (k < 0) {
			skip(c, "vgen", "%s", kwhy);
			vgen_prog_free(&p);
			continue;
		}
		if (u_ok && k == 1) {
			char fault[300];

			/* the generator's map reference again, for the shadow */
			for (size_t j = 0; j + 1 < p.cnt; j++)
				if (p.insns[j].code == (BPF_LD | BPF_IMM | BPF_DW) && p.insns[j].src_reg == 1)
					p.insns[j].imm = 0;
			c->n[UEBPF_ONLY]++;
			count_reason(uonly, &nu, 64, kwhy, seed + i);
			if (vgen_unsafe(seed + i, &p, fault, sizeof(fault))) {
				c->unexplained++;
				printf("DISAGREEMENT vgen seed %" PRIu64 ": uebpf accepts, the kernel refuses "
				       "(%s), and the program faults: %s\n", seed + i, kwhy, fault);
			} else {
				c->deliberate++;
			}
		} else if (!u_ok && k == 0) {
			c->n[KERNEL_ONLY]++;
			count_reason(konly, &nk, 64, uwhy, seed + i);
		} else {
			c->n[u_ok ? BOTH_ACCEPT : BOTH_REFUSE]++;
		}
		vgen_prog_free(&p);
	}
	if (nu) {
		printf("generated XDP programs uebpf accepts and the kernel refuses, by kernel reason "
		       "(each one ran in the shadow interpreter on 8 inputs; those that did not fault "
		       "count as deliberate: uebpf's bounds are tighter there):\n");
		for (size_t i = 0; i < nu; i++)
			printf("  %5u  %s (e.g. seed %" PRIu64 ")\n", uonly[i].n, uonly[i].text,
			       uonly[i].example_seed);
	}
	if (nk) {
		printf("generated XDP programs the kernel accepts and uebpf refuses, by uebpf reason "
		       "(uebpf is more conservative here; reported, not a failure):\n");
		for (size_t i = 0; i < nk; i++)
			printf("  %5u  %s (e.g. seed %" PRIu64 ")\n", konly[i].n, konly[i].text,
			       konly[i].example_seed);
	}
}

/* ----------------------------------------------------------------- main */

static void print_counts(const struct source_counts *c)
{
	printf("%-9s", c->name);
	for (int k = 0; k < NR_KINDS; k++)
		printf("  %s %u", kind_names[k], c->n[k]);
	printf("; disagreements: %u deliberate, %u unexplained\n", c->deliberate, c->unexplained);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "corpus", required_argument, NULL, 'c' },
		{ "deliberate", required_argument, NULL, 'd' },
		{ "vgen", required_argument, NULL, 'g' },
		{ "seed", required_argument, NULL, 's' },
		{ "verbose", no_argument, NULL, 'v' },
		{ 0 },
	};
	struct source_counts corpus = { .name = "corpus" }, examples = { .name = "examples" },
			     gen = { .name = "vgen" };
	const char *corpus_dir = NULL, *table_path = NULL;
	uint64_t vgen_count = 1000, seed = 1;
	char why[512];
	int c, ret, status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': corpus_dir = optarg; break;
		case 'd': table_path = optarg; break;
		case 'g': vgen_count = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'v': verbose = true; break;
		default:
			fprintf(stderr, "usage: vagree [--corpus DIR] [--deliberate FILE] [--vgen N] "
				"[--seed S] [--verbose] [OBJ...]\n");
			return 2;
		}
	}
	ret = kbpf_probe_xdp(why, sizeof(why));
	if (ret == -EPERM || ret == -EACCES || ret == -ENOSYS) {
		printf("SKIP: %s\n", why);
		return EXIT_SKIP;
	}
	if (ret) {
		fprintf(stderr, "vagree: %s\n", why);
		return 1;
	}
	if (table_path && load_table(table_path))
		return 1;
	klog = malloc(LOG_LEN);
	if (!klog)
		return 1;
	libbpf_set_print(capture_libbpf);

	if (corpus_dir)
		compare_corpus(&corpus, corpus_dir);
	for (int i = optind; i < argc; i++)
		compare_object(&examples, argv[i]);
	if (vgen_count)
		compare_vgen(&gen, seed, vgen_count);

	printf("\nvagree: agreement of uebpf's verifier with the kernel's (%s):\n",
	       table_path ? table_path : "no deliberate table");
	print_counts(&corpus);
	print_counts(&examples);
	print_counts(&gen);
	for (size_t i = 0; i < nr_table; i++)
		if (!table[i].used && strncmp(table[i].name, "vgen:", 5))
			printf("note: deliberate entry '%s %s' did not come up\n", table[i].name,
			       table[i].direction);
	status = corpus.unexplained || examples.unexplained || gen.unexplained;
	if (status)
		printf("vagree: FAIL: disagreements that tests/vagree/deliberate.txt does not explain "
		       "(fix uebpf, or add a line with a justification and mirror it in docs/verifier.md)\n");
	free(klog);
	free(table);
	return status;
}
