/* SPDX-License-Identifier: MIT */
/*
 * The benchmark suite: how fast is uebpf's JIT against the physical limit
 * (the same C compiled natively by clang-19 -O2) and against the kernel's JIT?
 *
 * Every program of bench/suite/ (libbpf-style XDP C, built by
 * bench/suite.cmake into NAME.bpf.o and, through the native shim, into
 * NAME.native.so) runs on the same input in every engine:
 *
 *   interp chk / unc   uebpf's interpreter, checked (runtime bounds checks and
 *                      instruction budget: the mode for unverified programs)
 *                      and unchecked (only when uebpf's verifier accepted it)
 *   jit chk / unc      uebpf's x86-64 JIT, same two modes
 *   native             the same C, clang-19 -O2 for x86-64, called directly
 *   kernel             the kernel's JIT through BPF_PROG_TEST_RUN with
 *                      `repeat` (root only; the kernel reports ns per run)
 *
 * and the driver prints ns per run (median of --reps repetitions, each long
 * enough to last --min-ms), the ratios JIT/native, JIT/kernel and interp/JIT
 * with their geometric means, and jit_compile time per 1,000 instructions.
 * The return values of all engines must agree; --smoke checks only that
 * (no timing), for the CTest test bench.suite.smoke.
 *
 * Programs get their input as an XDP context: a struct xdp_md whose
 * data/data_end hold the addresses of the packet. Those fields are 32 bits
 * wide, so context and packet live in a MAP_32BIT mapping (below 2 GiB), as
 * uebpf's XDP test-run does; the uebpf engines then run through
 * uebpf_prog_run with mem = the context and the packet as an extra writable
 * region, and the native code gets the same pointer.
 *
 * usage: bench_suite [--dir DIR] [--reps N] [--min-ms MS] [--only NAME]
 *                    [--no-kernel] [--smoke]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "helpers/protos.h"
#include "jit/jit.h"
#include "maps/map_internal.h"
#include "prog/prog.h"
#include "uebpf/helpers.h"
#include "uebpf/map.h"
#include "uebpf/object.h"
#include "uebpf/uebpf.h"
#include "uebpf/verifier.h"

#ifndef BENCH_SUITE_DIR
#define BENCH_SUITE_DIR "bench/suite"
#endif

#define PKT_HEADROOM 256          /* context, then the packet */
#define PKT_CAPACITY 8192
#define LOW_AREA_SIZE (PKT_HEADROOM + PKT_CAPACITY)

/* ---------------------------------------------------------------- inputs */

/* Reproducible pseudo-random bytes (xorshift64*), so every run and every
 * engine sees the same input. */
static uint64_t rng_state;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t input_zeros(uint8_t *pkt)
{
	memset(pkt, 0, 64);
	return 64; /* the kernel wants at least an Ethernet header */
}

static size_t input_add(uint8_t *pkt)
{
	uint64_t ops[2] = { 0x123456789abcdefull, 0x1111111122222222ull };

	memset(pkt, 0, 64);
	memcpy(pkt, ops, sizeof(ops));
	return 64;
}

static size_t input_log2(uint8_t *pkt)
{
	for (size_t i = 0; i < 256; i++) {
		/* values of every magnitude: shift a random word by 0..31 */
		uint32_t v = (uint32_t)rng_next() >> (i % 32);

		memcpy(pkt + 4 * i, &v, 4);
	}
	return 1024;
}

static size_t input_primes(uint8_t *pkt)
{
	uint32_t limit = 2000;

	memset(pkt, 0, 64);
	memcpy(pkt, &limit, 4);
	return 64;
}

static size_t input_copy(uint8_t *pkt)
{
	for (size_t i = 0; i < 2048; i++)
		pkt[i] = (uint8_t)(i < 1024 ? rng_next() : 0);
	return 2048;
}

/* Two 256-byte slots: 255 'a'..'z' bytes and a NUL each; `differ_at` < 255
 * changes one byte of the second string. */
static size_t input_strings(uint8_t *pkt, int differ_at)
{
	for (size_t i = 0; i < 255; i++)
		pkt[i] = pkt[256 + i] = (uint8_t)('a' + i % 26);
	pkt[255] = pkt[511] = 0;
	if (differ_at >= 0)
		pkt[256 + differ_at] = 'Z';
	return 512;
}

static size_t input_strcmp_match(uint8_t *pkt)
{
	return input_strings(pkt, -1);
}

static size_t input_strcmp_mismatch(uint8_t *pkt)
{
	return input_strings(pkt, 127);
}

static size_t input_switch(uint8_t *pkt)
{
	for (size_t i = 0; i < 256; i++)
		pkt[i] = (uint8_t)rng_next();
	return 256;
}

#define HASH_KEYS 1024

static size_t input_hash_keys(uint8_t *pkt)
{
	for (uint32_t i = 0; i < 64; i++) {
		/* about one key in six is missing from the table */
		uint32_t key = (uint32_t)(rng_next() % (HASH_KEYS + HASH_KEYS / 5));

		memcpy(pkt + 4 * i, &key, 4);
	}
	return 256;
}

static size_t input_array_values(uint8_t *pkt)
{
	for (size_t i = 0; i < 64; i++) {
		uint64_t v = rng_next();

		memcpy(pkt + 8 * i, &v, 8);
	}
	return 512;
}

/* One Ethernet frame of `len` bytes: IPv4/UDP unless `kind` says otherwise. */
enum frame_kind { FRAME_UDP, FRAME_UDP_OPTIONS, FRAME_TCP, FRAME_ARP, FRAME_SHORT };

static void put_frame(uint8_t *f, size_t len, enum frame_kind kind, uint16_t dport)
{
	struct ethhdr eth = { .h_proto = htons(kind == FRAME_ARP ? ETH_P_ARP : ETH_P_IP) };
	struct iphdr ip = { .version = 4, .ihl = kind == FRAME_UDP_OPTIONS ? 6 : 5,
			    .ttl = 64, .protocol = kind == FRAME_TCP ? IPPROTO_TCP : IPPROTO_UDP,
			    .saddr = htonl(0x0a000001), .daddr = htonl(0x0a000002) };
	size_t ihl = ip.ihl * 4u;
	struct udphdr udp = { .source = htons(40000), .dest = htons(dport) };

	memset(f, 0, len);
	memset(eth.h_dest, 0xff, ETH_ALEN);
	eth.h_source[5] = 1;
	memcpy(f, &eth, sizeof(eth));
	if (kind == FRAME_ARP || kind == FRAME_SHORT)
		return;
	ip.tot_len = htons((uint16_t)(len - sizeof(eth)));
	memcpy(f + sizeof(eth), &ip, sizeof(ip));
	udp.len = htons((uint16_t)(len - sizeof(eth) - ihl));
	memcpy(f + sizeof(eth) + ihl, &udp, sizeof(udp));
}

static size_t input_udp_batch(uint8_t *pkt)
{
	static const enum frame_kind kinds[8] = {
		FRAME_UDP, FRAME_UDP, FRAME_TCP, FRAME_UDP,
		FRAME_UDP_OPTIONS, FRAME_UDP, FRAME_ARP, FRAME_UDP,
	};
	size_t off = 0;

	for (int i = 0; i < 32; i++) {
		enum frame_kind kind = i == 29 ? FRAME_SHORT : kinds[i % 8];
		uint16_t len = kind == FRAME_SHORT ? 20 : (uint16_t)(64 + rng_next() % 40);

		memcpy(pkt + off, &len, 2);
		put_frame(pkt + off + 2, len, kind, (uint16_t)(53 + rng_next() % 2000));
		off += 2u + len;
	}
	return off;
}

/* The maps a case needs filled before it runs: put(map, key, value). */
typedef int (*map_put_fn)(void *ctx, const char *map, const void *key, const void *value);

static int fill_lookup_table(map_put_fn put, void *ctx)
{
	for (uint32_t k = 0; k < HASH_KEYS; k++) {
		uint64_t v = (uint64_t)k * 2654435761u ^ ((uint64_t)k << 40);
		int ret = put(ctx, "lookup_table", &k, &v);

		if (ret)
			return ret;
	}
	return 0;
}

struct bench_case {
	const char *name;        /* row in the table */
	const char *object;      /* NAME.bpf.o and NAME.native.so in the suite dir */
	const char *func;        /* the program (function) in it */
	size_t (*make_input)(uint8_t *pkt);
	int (*fill_maps)(map_put_fn put, void *ctx);
	const char *what;
};

static const struct bench_case cases[] = {
	{ "ret_const", "ret_const", "ret_const", input_zeros, NULL, "return 42" },
	{ "add_mem", "add_mem", "add_mem", input_add, NULL, "a + b from the packet" },
	{ "log2_array", "log2_array", "log2_array", input_log2, NULL,
	  "sum of log2 over 256 u32" },
	{ "primes", "primes", "primes", input_primes, NULL,
	  "primes below 2000, trial division" },
	{ "byte_copy", "byte_copy", "byte_copy", input_copy, NULL, "copy 1024 bytes, byte loop" },
	{ "strcmp_mismatch", "strcmp", "strcmp_prog", input_strcmp_mismatch, NULL,
	  "strcmp, differ at byte 127" },
	{ "strcmp_match", "strcmp", "strcmp_prog", input_strcmp_match, NULL,
	  "strcmp, 255 equal bytes" },
	{ "switch64", "switch64", "switch64", input_switch, NULL, "64-case switch x 256 bytes" },
	{ "hash_lookup", "hash_lookup", "hash_lookup", input_hash_keys, fill_lookup_table,
	  "64 hash map lookups" },
	{ "array_update", "array_update", "array_update", input_array_values, NULL,
	  "64 array map updates" },
	{ "parse_udp_batch", "parse_udp_batch", "parse_udp_batch", input_udp_batch, NULL,
	  "Eth/IPv4/UDP parse, 32 packets" },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

/* --------------------------------------------------------------- engines */

enum engine {
	ENG_INTERP_CHK,
	ENG_INTERP_UNC,
	ENG_JIT_CHK,
	ENG_JIT_UNC,
	ENG_NATIVE,
	ENG_KERNEL,
	NR_ENGINES,
};

static const char *const engine_names[NR_ENGINES] = {
	"interp chk", "interp unc", "jit chk", "jit unc", "native", "kernel",
};

struct options {
	const char *dir;
	int reps;
	double min_ms;
	const char *only;
	bool kernel;
	bool smoke;
};

/* Everything one case needs while it runs. */
struct bench_run {
	const struct bench_case *bc;
	/* the input: context + packet, below 2 GiB */
	uint8_t *low;
	struct xdp_md *md;
	uint8_t *pkt;
	size_t pkt_len;
	uint8_t pristine[PKT_CAPACITY];
	/* uebpf */
	struct uebpf_helper_set *helpers;
	struct uebpf_object *obj;
	struct uebpf_prog *prog;
	bool verified;
	char verify_msg[512];
	struct uebpf_region region;
	/* native */
	void *dl;
	int (*native_fn)(struct xdp_md *ctx);
	char native_msg[512];
	/* kernel */
	struct bpf_object *kobj;
	int kprog_fd;
	uint32_t kernel_verified_insns;   /* what the kernel's verifier processed */
	char kernel_msg[512];
	/* results */
	bool have[NR_ENGINES];
	uint32_t retval[NR_ENGINES];
	double ns[NR_ENGINES];
	char error[NR_ENGINES][256];
	double compile_ns[2];     /* jit_compile, [checked] */
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void set_msg(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_msg(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

/* ---- helpers: the Linux set, or the three map helpers the suite uses */

/* Weak: the Linux helper set is being written in parallel; when the library
 * has it the suite uses it, else a set with the map helpers below. */
extern int uebpf_helper_set_create_linux(uint32_t prog_type, struct uebpf_helper_set **out,
					 struct uebpf_error *err) __attribute__((weak));

static uint64_t bench_map_lookup(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct uebpf_run_ctx *rc)
{
	(void)r3, (void)r4, (void)r5, (void)rc;
	return (uintptr_t)map_lookup_elem((struct uebpf_map *)(uintptr_t)r1,
					  (const void *)(uintptr_t)r2);
}

static uint64_t bench_map_update(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct uebpf_run_ctx *rc)
{
	(void)r5, (void)rc;
	return (uint64_t)map_update_elem((struct uebpf_map *)(uintptr_t)r1,
					 (const void *)(uintptr_t)r2,
					 (const void *)(uintptr_t)r3, r4);
}

static uint64_t bench_map_delete(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				 uint64_t r5, struct uebpf_run_ctx *rc)
{
	(void)r3, (void)r4, (void)r5, (void)rc;
	return (uint64_t)map_delete_elem((struct uebpf_map *)(uintptr_t)r1,
					 (const void *)(uintptr_t)r2);
}

static int make_helpers(struct uebpf_helper_set **out, const char **which,
			struct uebpf_error *err)
{
	static const struct {
		uint32_t id;
		uebpf_helper_fn fn;
	} own[] = {
		{ BPF_FUNC_map_lookup_elem, bench_map_lookup },
		{ BPF_FUNC_map_update_elem, bench_map_update },
		{ BPF_FUNC_map_delete_elem, bench_map_delete },
	};
	int ret;

	if (uebpf_helper_set_create_linux) {
		*which = "uebpf_helper_set_create_linux(BPF_PROG_TYPE_XDP)";
		return uebpf_helper_set_create_linux(BPF_PROG_TYPE_XDP, out, err);
	}
	*which = "the suite's own map helpers (the Linux helper set is not in this build)";
	ret = uebpf_helper_set_create(out, err);
	for (size_t i = 0; !ret && i < sizeof(own) / sizeof(own[0]); i++) {
		const struct helper_linux_proto *lp = helper_linux_proto(own[i].id);
		struct uebpf_helper_proto proto;

		if (!lp)
			return -ENOENT;
		proto = lp->proto;
		proto.fn = own[i].fn;
		ret = uebpf_helper_set_add(*out, &proto, err);
	}
	return ret;
}

/* ---- uebpf */

static int uebpf_map_put(void *ctx, const char *name, const void *key, const void *value)
{
	struct bench_run *br = ctx;
	struct uebpf_object_map *m = uebpf_object_find_map(br->obj, name);
	struct uebpf_error err = { 0 };

	if (!m || !uebpf_object_map_get(m))
		return -ENOENT;
	return uebpf_map_update(uebpf_object_map_get(m), key, value, BPF_ANY, &err);
}

static void verify_prog(struct bench_run *br)
{
	struct uebpf_verify_map vmaps[16];
	size_t nr = uebpf_object_map_cnt(br->obj);
	struct uebpf_verify_opts vopts = {
		.sz = sizeof(vopts), .prog_type = BPF_PROG_TYPE_XDP, .maps = vmaps, .nr_maps = nr,
	};
	struct uebpf_verify_result *result = NULL;
	struct uebpf_error err = { 0 };
	int ret;

	if (nr > sizeof(vmaps) / sizeof(vmaps[0])) {
		set_msg(br->verify_msg, sizeof(br->verify_msg), "too many maps for the driver");
		return;
	}
	for (size_t i = 0; i < nr; i++) {
		struct uebpf_map_spec spec;

		uebpf_object_map_spec(uebpf_object_map_at(br->obj, i), &spec);
		vmaps[i] = (struct uebpf_verify_map){
			.name = spec.name, .type = spec.type, .key_size = spec.key_size,
			.value_size = spec.value_size, .max_entries = spec.max_entries,
			.map_flags = spec.map_flags,
		};
	}
	ret = uebpf_prog_verify(br->prog, &vopts, &result, &err);
	br->verified = ret == 0 && uebpf_prog_is_verified(br->prog);
	if (!br->verified)
		set_msg(br->verify_msg, sizeof(br->verify_msg), "%s",
			err.msg[0] ? err.msg : "refused");
	uebpf_verify_result_destroy(result);
}

static int setup_uebpf(struct bench_run *br, const struct options *o, struct uebpf_error *err)
{
	char path[4096];
	struct uebpf_object_opts oopts = { .sz = sizeof(oopts), .helpers = br->helpers };
	struct uebpf_object_prog *op;
	int ret;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", o->dir, br->bc->object);
	ret = uebpf_object_open_file(path, &oopts, &br->obj, err);
	if (!ret)
		ret = uebpf_object_load(br->obj, err);
	if (ret)
		return ret;
	op = uebpf_object_find_prog(br->obj, br->bc->func);
	br->prog = op ? uebpf_object_prog_get(op) : NULL;
	if (!br->prog) {
		set_msg(err->msg, sizeof(err->msg), "%s: no program '%s'", path, br->bc->func);
		return err->code = -ENOENT;
	}
	if (br->bc->fill_maps) {
		ret = br->bc->fill_maps(uebpf_map_put, br);
		if (ret) {
			set_msg(err->msg, sizeof(err->msg), "%s: filling the maps: %s", path,
				strerror(-ret));
			return err->code = ret;
		}
	}
	verify_prog(br);
	return 0;
}

static int run_uebpf(struct bench_run *br, enum engine e, uint64_t count, uint32_t *retval,
		     struct uebpf_error *err)
{
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts), .mem = br->md, .mem_len = sizeof(*br->md),
		.regions = &br->region, .nr_regions = 1,
		.engine = e == ENG_INTERP_CHK || e == ENG_INTERP_UNC ? UEBPF_ENGINE_INTERP
								     : UEBPF_ENGINE_JIT,
		.flags = e == ENG_INTERP_UNC || e == ENG_JIT_UNC ? UEBPF_RUN_UNCHECKED : 0,
	};
	uint64_t r0 = 0;

	for (uint64_t i = 0; i < count; i++) {
		int ret = uebpf_prog_run(br->prog, &opts, &r0, err);

		if (ret)
			return ret;
	}
	*retval = (uint32_t)r0;
	return 0;
}

/* ---- native */

static int setup_native(struct bench_run *br, const struct options *o)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s.native.so", o->dir, br->bc->object);
	br->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!br->dl) {
		set_msg(br->native_msg, sizeof(br->native_msg), "%s", dlerror());
		return -ENOENT;
	}
	*(void **)&br->native_fn = dlsym(br->dl, br->bc->func);
	if (!br->native_fn) {
		set_msg(br->native_msg, sizeof(br->native_msg), "%s: no function '%s'", path,
			br->bc->func);
		return -ENOENT;
	}
	/* Each map definition gets the uebpf map the eBPF engines use (see
	 * bench/suite/native/bpf/bpf_helpers.h). */
	for (size_t i = 0; i < uebpf_object_map_cnt(br->obj); i++) {
		struct uebpf_object_map *m = uebpf_object_map_at(br->obj, i);
		void *def;

		if (uebpf_object_map_origin(m) == UEBPF_MAP_ORIGIN_GLOBAL_DATA)
			continue; /* the shared object has its own copy of its globals */
		def = dlsym(br->dl, uebpf_object_map_name(m));
		if (!def) {
			set_msg(br->native_msg, sizeof(br->native_msg), "%s: no map '%s'", path,
				uebpf_object_map_name(m));
			return -ENOENT;
		}
		*(struct uebpf_map **)def = uebpf_object_map_get(m);
	}
	return 0;
}

static int run_native(struct bench_run *br, uint64_t count, uint32_t *retval)
{
	int (*fn)(struct xdp_md *) = br->native_fn;
	int r = 0;

	for (uint64_t i = 0; i < count; i++) {
		r = fn(br->md);
		/* keeps the compiler from hoisting the call out of the loop */
		__asm__ volatile("" ::: "memory");
	}
	*retval = (uint32_t)r;
	return 0;
}

/* ---- kernel */

/* libbpf's messages of the current load, so a refusal can be named. */
static char libbpf_log[65536];
static size_t libbpf_log_len;

static int libbpf_capture(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;

	if (level == LIBBPF_DEBUG || libbpf_log_len >= sizeof(libbpf_log) - 1)
		return 0;
	n = vsnprintf(libbpf_log + libbpf_log_len, sizeof(libbpf_log) - libbpf_log_len, fmt, ap);
	if (n > 0)
		libbpf_log_len += (size_t)n < sizeof(libbpf_log) - libbpf_log_len
				  ? (size_t)n : sizeof(libbpf_log) - libbpf_log_len - 1;
	return 0;
}

/* The verifier's reason: the last line of its log that is not statistics. */
static void kernel_refusal_reason(char *out, size_t len, int ret)
{
	char *end = strstr(libbpf_log, "-- END PROG LOAD LOG --");
	char *line = NULL;

	if (end) {
		char *p = end;

		*p = 0;
		while (p > libbpf_log) {
			char *start;

			while (p > libbpf_log && (p[-1] == '\n' || p[-1] == ' '))
				*--p = 0;
			start = p;
			while (start > libbpf_log && start[-1] != '\n')
				start--;
			if (strncmp(start, "processed ", 10) && strncmp(start, "verification time", 17) &&
			    strncmp(start, "stack depth", 11)) {
				line = start;
				break;
			}
			p = start;
		}
	}
	set_msg(out, len, "load failed (%s)%s%s", strerror(-ret), line ? ": " : "",
		line ? line : "");
}

struct kernel_put_ctx {
	struct bpf_object *kobj;
};

static int kernel_map_put(void *ctx, const char *name, const void *key, const void *value)
{
	struct bpf_object *kobj = ctx;
	struct bpf_map *m = bpf_object__find_map_by_name(kobj, name);

	if (!m)
		return -ENOENT;
	return bpf_map__update_elem(m, key, bpf_map__key_size(m), value,
				    bpf_map__value_size(m), BPF_ANY);
}

static int setup_kernel(struct bench_run *br, const struct options *o)
{
	char path[4096];
	struct bpf_program *p;
	int ret;

	br->kprog_fd = -1;
	if (!o->kernel) {
		set_msg(br->kernel_msg, sizeof(br->kernel_msg), "not measured (--no-kernel)");
		return -EPERM;
	}
	if (geteuid() != 0) {
		set_msg(br->kernel_msg, sizeof(br->kernel_msg),
			"not measured: BPF_PROG_LOAD needs root");
		return -EPERM;
	}
	snprintf(path, sizeof(path), "%s/%s.bpf.o", o->dir, br->bc->object);
	libbpf_log_len = 0;
	libbpf_log[0] = 0;
	br->kobj = bpf_object__open_file(path, NULL);
	if (!br->kobj) {
		set_msg(br->kernel_msg, sizeof(br->kernel_msg), "bpf_object__open_file: %s",
			strerror(errno));
		return -errno;
	}
	bpf_object__for_each_program(p, br->kobj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), br->bc->func));
	ret = bpf_object__load(br->kobj);
	if (ret) {
		kernel_refusal_reason(br->kernel_msg, sizeof(br->kernel_msg), ret);
		return ret;
	}
	p = bpf_object__find_program_by_name(br->kobj, br->bc->func);
	br->kprog_fd = p ? bpf_program__fd(p) : -1;
	if (br->kprog_fd < 0) {
		set_msg(br->kernel_msg, sizeof(br->kernel_msg), "no program '%s'", br->bc->func);
		return -ENOENT;
	}
	{
		struct bpf_prog_info info;
		__u32 info_len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(br->kprog_fd, &info, &info_len))
			br->kernel_verified_insns = info.verified_insns;
	}
	if (br->bc->fill_maps) {
		ret = br->bc->fill_maps(kernel_map_put, br->kobj);
		if (ret) {
			set_msg(br->kernel_msg, sizeof(br->kernel_msg), "filling the maps: %s",
				strerror(-ret));
			br->kprog_fd = -1;
			return ret;
		}
	}
	return 0;
}

/* The kernel runs the program `count` times itself and reports the mean in
 * whole ns; *ns_per_run receives it. */
static int run_kernel(struct bench_run *br, uint64_t count, uint32_t *retval,
		      double *ns_per_run, char *msg, size_t msg_len)
{
	uint8_t out[PKT_CAPACITY];
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = br->pristine,
		    .data_size_in = (uint32_t)br->pkt_len, .data_out = out,
		    .data_size_out = sizeof(out),
		    .repeat = (int)(count > INT32_MAX ? INT32_MAX : count));
	int ret = bpf_prog_test_run_opts(br->kprog_fd, &topts);

	if (ret) {
		set_msg(msg, msg_len, "BPF_PROG_TEST_RUN: %s", strerror(-ret));
		return ret;
	}
	*retval = topts.retval;
	*ns_per_run = topts.duration;
	return 0;
}

/* ---------------------------------------------------------------- timing */

static bool engine_available(const struct bench_run *br, enum engine e)
{
	switch (e) {
	case ENG_INTERP_CHK:
	case ENG_JIT_CHK:
		return br->prog != NULL;
	case ENG_INTERP_UNC:
	case ENG_JIT_UNC:
		return br->prog != NULL && br->verified;
	case ENG_NATIVE:
		return br->native_fn != NULL;
	case ENG_KERNEL:
		return br->kprog_fd >= 0;
	default:
		return false;
	}
}

/* Runs engine `e` `count` times on a fresh copy of the input; returns ns per
 * run (negative errno on failure, the message in br->error[e]). */
static double run_batch(struct bench_run *br, enum engine e, uint64_t count, uint32_t *retval)
{
	struct uebpf_error err = { 0 };
	double t0, ns = 0;
	int ret;

	memcpy(br->pkt, br->pristine, br->pkt_len);
	t0 = now_ns();
	switch (e) {
	case ENG_NATIVE:
		ret = run_native(br, count, retval);
		break;
	case ENG_KERNEL:
		ret = run_kernel(br, count, retval, &ns, br->error[e], sizeof(br->error[e]));
		if (!ret)
			return ns;
		break;
	default:
		ret = run_uebpf(br, e, count, retval, &err);
		if (ret)
			set_msg(br->error[e], sizeof(br->error[e]), "%s", err.msg);
		break;
	}
	if (ret)
		return ret < 0 ? ret : -EIO;
	return (now_ns() - t0) / (double)count;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Picks a run count that lasts about min_ms, then takes the median of
 * `reps` batches of it. */
static void measure(struct bench_run *br, enum engine e, const struct options *o)
{
	uint64_t count = 1;
	double ns = run_batch(br, e, 1, &br->retval[e]), samples[64];
	int reps = o->reps < 64 ? o->reps : 64;

	if (ns < 0)
		return;
	br->have[e] = true;
	if (o->smoke) {
		br->ns[e] = run_batch(br, e, 3, &br->retval[e]);
		br->have[e] = br->ns[e] >= 0;
		return;
	}
	/* grow until a batch takes a few ms, so the clock's resolution and
	 * the first-call costs do not count */
	while (count < (1ull << 40)) {
		ns = run_batch(br, e, count, &br->retval[e]);
		if (ns < 0 || ns * (double)count > 2e6)
			break;
		count *= 4;
	}
	if (ns < 0) {
		br->have[e] = false;
		return;
	}
	count = (uint64_t)(o->min_ms * 1e6 / (ns > 0.1 ? ns : 0.1)) + 1;
	for (int r = 0; r < reps; r++) {
		samples[r] = run_batch(br, e, count, &br->retval[e]);
		if (samples[r] < 0) {
			br->have[e] = false;
			return;
		}
	}
	br->ns[e] = median(samples, reps);
}

/* jit_compile time: median over reps of (a batch of compiles) / batch. */
static double compile_ns(const struct uebpf_prog *prog, bool checked, const struct options *o)
{
	double samples[64];
	int reps = o->smoke ? 1 : (o->reps < 64 ? o->reps : 64);
	int batch = o->smoke ? 1 : 200;

	for (int r = 0; r < reps; r++) {
		double t0 = now_ns();

		for (int i = 0; i < batch; i++) {
			struct jit_image *image = NULL;
			struct uebpf_error err = { 0 };

			if (jit_compile(prog, checked, &image, &err))
				return -1;
			jit_image_free(image);
		}
		samples[r] = (now_ns() - t0) / batch;
	}
	return median(samples, reps);
}

/* ---------------------------------------------------------------- report */

static void print_ns(double ns, bool have)
{
	if (!have)
		printf(" %10s", "-");
	else if (ns >= 100000)
		printf(" %10.0f", ns);
	else
		printf(" %10.1f", ns);
}

static void print_ratio(double num, bool have_num, double den, bool have_den)
{
	if (have_num && have_den && den > 0)
		printf(" %8.2fx", num / den);
	else
		printf(" %9s", "-");
}

/* The JIT (and interpreter) mode the ratios use: unchecked when uebpf's
 * verifier accepted the program, else checked. */
static enum engine ratio_jit(const struct bench_run *br)
{
	return br->have[ENG_JIT_UNC] ? ENG_JIT_UNC : ENG_JIT_CHK;
}

static enum engine ratio_interp(const struct bench_run *br)
{
	return br->have[ENG_JIT_UNC] && br->have[ENG_INTERP_UNC] ? ENG_INTERP_UNC : ENG_INTERP_CHK;
}

struct geomean {
	double log_sum;
	int n;
};

static void geo_add(struct geomean *g, double ratio)
{
	if (ratio > 0) {
		g->log_sum += log(ratio);
		g->n++;
	}
}

static double geo_value(const struct geomean *g)
{
	return g->n ? exp(g->log_sum / g->n) : 0;
}

static void print_table(struct bench_run *runs, size_t nr, const struct options *o,
			double compile_chk, double compile_unc, size_t compile_progs,
			size_t compile_insns, const char *helpers_used)
{
	struct geomean g_native = { 0 }, g_kernel = { 0 }, g_interp = { 0 };
	int slower_than_kernel = 0, kernel_rows = 0;

	printf("\nuebpf benchmark suite: ns per run, median of %d repetitions of >= %.0f ms each\n",
	       o->reps, o->min_ms);
	printf("  interp/jit chk: checked (runtime bounds checks + instruction budget; required for "
	       "unverified programs)\n");
	printf("  interp/jit unc: unchecked, only for programs uebpf's verifier accepted "
	       "(uebpf_prog_verify, BPF_PROG_TYPE_XDP)\n");
	printf("  native: the same C, clang-19 -O2 x86-64, called directly (maps: uebpf's own map "
	       "code)\n");
	printf("  kernel: Linux JIT via BPF_PROG_TEST_RUN repeat (kernel-measured mean, whole ns)\n");
	printf("  ratios use the mode in column 'mode' for both interp and jit: unc when verified, "
	       "else chk\n");
	printf("  helpers: %s\n\n", helpers_used);

	printf("%-16s %5s %4s", "program", "insns", "mode");
	for (int e = 0; e < NR_ENGINES; e++)
		printf(" %10s", engine_names[e]);
	printf(" %9s %9s %9s %8s\n", "jit/nativ", "jit/kern", "interp/jit", "compile");

	for (size_t i = 0; i < nr; i++) {
		struct bench_run *br = &runs[i];
		enum engine je = ratio_jit(br), ie = ratio_interp(br);

		printf("%-16s %5zu %4s", br->bc->name, br->prog ? uebpf_prog_insn_cnt(br->prog) : 0,
		       je == ENG_JIT_UNC ? "unc" : "chk");
		for (int e = 0; e < NR_ENGINES; e++)
			print_ns(br->ns[e], br->have[e]);
		print_ratio(br->ns[je], br->have[je], br->ns[ENG_NATIVE], br->have[ENG_NATIVE]);
		print_ratio(br->ns[je], br->have[je], br->ns[ENG_KERNEL], br->have[ENG_KERNEL]);
		print_ratio(br->ns[ie], br->have[ie], br->ns[je], br->have[je]);
		printf(" %6.1fus\n", br->compile_ns[je == ENG_JIT_CHK] / 1000);
		if (br->have[je] && br->have[ENG_NATIVE])
			geo_add(&g_native, br->ns[je] / br->ns[ENG_NATIVE]);
		if (br->have[je] && br->have[ENG_KERNEL] && br->ns[ENG_KERNEL] > 0) {
			geo_add(&g_kernel, br->ns[je] / br->ns[ENG_KERNEL]);
			kernel_rows++;
			if (br->ns[je] > br->ns[ENG_KERNEL])
				slower_than_kernel++;
		}
		if (br->have[je] && br->have[ie])
			geo_add(&g_interp, br->ns[ie] / br->ns[je]);
	}
	printf("%-16s %5s %4s", "geometric mean", "", "");
	for (int e = 0; e < NR_ENGINES; e++)
		printf(" %10s", "");
	print_ratio(geo_value(&g_native), g_native.n, 1, true);
	print_ratio(geo_value(&g_kernel), g_kernel.n, 1, true);
	print_ratio(geo_value(&g_interp), g_interp.n, 1, true);
	printf("\n");

	printf("\njit_compile over the suite's %zu programs (%zu instructions), median of "
	       "%d x 200 compiles each, mmap/mprotect/munmap included:\n", compile_progs,
	       compile_insns, o->reps);
	printf("  checked   %7.1f us per 1000 instructions\n", compile_chk);
	printf("  unchecked %7.1f us per 1000 instructions\n", compile_unc);

	printf("\nnotes:\n");
	for (size_t i = 0; i < nr; i++) {
		struct bench_run *br = &runs[i];

		if (br->prog && !br->verified) {
			printf("  %s: uebpf's verifier refused it, so only checked runs: %s\n",
			       br->bc->name, br->verify_msg);
			if (br->kernel_verified_insns)
				printf("  %s: (the kernel's verifier accepted it after %" PRIu32
				       " instructions)\n", br->bc->name, br->kernel_verified_insns);
		}
		if (!br->have[ENG_KERNEL] && br->kernel_msg[0])
			printf("  %s: kernel %s\n", br->bc->name, br->kernel_msg);
		if (!br->have[ENG_NATIVE] && br->native_msg[0])
			printf("  %s: native: %s\n", br->bc->name, br->native_msg);
		for (int e = 0; e < NR_ENGINES; e++)
			if (br->error[e][0])
				printf("  %s: %s: %s\n", br->bc->name, engine_names[e], br->error[e]);
	}

	printf("\ntargets (reported, not asserted):\n");
	printf("  JIT geometric mean <= 1.5x native clang -O2: %.2fx  %s\n", geo_value(&g_native),
	       g_native.n ? (geo_value(&g_native) <= 1.5 ? "met" : "MISSED") : "not measured");
	if (kernel_rows)
		printf("  no program slower than the kernel's JIT: %d of %d slower  %s\n",
		       slower_than_kernel, kernel_rows, slower_than_kernel ? "MISSED" : "met");
	else
		printf("  no program slower than the kernel's JIT: not measured\n");
	printf("  jit_compile <= 100 us per 1000 instructions: %.1f (checked), %.1f (unchecked)  "
	       "%s\n", compile_chk, compile_unc,
	       compile_chk <= 100 && compile_unc <= 100 ? "met" : "MISSED");
}

/* ------------------------------------------------------------------ main */

static int setup_run(struct bench_run *br, const struct options *o, struct uebpf_helper_set *hs)
{
	struct uebpf_error err = { 0 };
	int ret;

	br->helpers = hs;
	br->kprog_fd = -1;
	br->low = mmap(NULL, LOW_AREA_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (br->low == MAP_FAILED) {
		br->low = NULL;
		fprintf(stderr, "bench_suite: mmap(MAP_32BIT) failed: %s\n", strerror(errno));
		return -errno;
	}
	br->md = (struct xdp_md *)br->low;
	br->pkt = br->low + PKT_HEADROOM;
	rng_state = 0x9e3779b97f4a7c15ull ^ (uintptr_t)br->bc->name[0];
	br->pkt_len = br->bc->make_input(br->pristine);
	memcpy(br->pkt, br->pristine, br->pkt_len);
	br->md->data = (uint32_t)(uintptr_t)br->pkt;
	br->md->data_end = (uint32_t)(uintptr_t)(br->pkt + br->pkt_len);
	br->md->data_meta = br->md->data;
	br->region = (struct uebpf_region){ .addr = br->pkt, .len = br->pkt_len, .writable = true };

	ret = setup_uebpf(br, o, &err);
	if (ret) {
		fprintf(stderr, "bench_suite: %s: uebpf: %s\n", br->bc->name, err.msg);
		return ret;
	}
	setup_native(br, o);
	setup_kernel(br, o);
	return 0;
}

static void teardown_run(struct bench_run *br)
{
	if (br->kobj)
		bpf_object__close(br->kobj);
	if (br->dl)
		dlclose(br->dl);
	uebpf_object_destroy(br->obj);
	if (br->low)
		munmap(br->low, LOW_AREA_SIZE);
}

/* All engines that ran must agree (on the low 32 bits: the kernel's
 * test-run reports a u32). */
static bool check_agreement(const struct bench_run *br)
{
	enum engine ref = NR_ENGINES;
	bool ok = true;

	for (int e = 0; e < NR_ENGINES; e++) {
		if (!br->have[e])
			continue;
		if (ref == NR_ENGINES)
			ref = (enum engine)e;
		else if (br->retval[e] != br->retval[ref])
			ok = false;
	}
	if (!ok) {
		fprintf(stderr, "bench_suite: %s: engines disagree:", br->bc->name);
		for (int e = 0; e < NR_ENGINES; e++)
			if (br->have[e])
				fprintf(stderr, " %s=%" PRIu32, engine_names[e], br->retval[e]);
		fprintf(stderr, "\n");
	}
	return ok;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [--dir DIR] [--reps N] [--min-ms MS] [--only NAME] [--no-kernel] "
		"[--smoke]\n"
		"  --dir DIR    where NAME.bpf.o and NAME.native.so are (default %s)\n"
		"  --reps N     repetitions per measurement, the median is reported (default 7)\n"
		"  --min-ms MS  length of one repetition (default 20)\n"
		"  --only NAME  run one program of the suite\n"
		"  --no-kernel  skip the kernel's JIT\n"
		"  --smoke      no timing: run every engine a few times and check that they agree\n",
		argv0, BENCH_SUITE_DIR);
}

int main(int argc, char **argv)
{
	struct options o = { .dir = BENCH_SUITE_DIR, .reps = 7, .min_ms = 20, .kernel = true };
	struct bench_run *runs;
	struct uebpf_helper_set *hs = NULL;
	struct uebpf_error err = { 0 };
	const char *helpers_used = "";
	double compile_chk_ns = 0, compile_unc_ns = 0;
	size_t compile_insns = 0, compile_progs = 0, nr = 0;
	int failures = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dir") && i + 1 < argc)
			o.dir = argv[++i];
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			o.reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--min-ms") && i + 1 < argc)
			o.min_ms = atof(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			o.only = argv[++i];
		else if (!strcmp(argv[i], "--no-kernel"))
			o.kernel = false;
		else if (!strcmp(argv[i], "--smoke"))
			o.smoke = true;
		else {
			usage(argv[0]);
			return 2;
		}
	}
	if (o.reps < 1 || o.reps > 64 || o.min_ms <= 0) {
		usage(argv[0]);
		return 2;
	}
	if (o.smoke)
		o.reps = 1;

	libbpf_set_print(libbpf_capture);
	if (make_helpers(&hs, &helpers_used, &err)) {
		fprintf(stderr, "bench_suite: helper set: %s\n", err.msg);
		return 1;
	}
	runs = calloc(NR_CASES, sizeof(*runs));
	if (!runs)
		return 1;

	for (size_t c = 0; c < NR_CASES; c++) {
		struct bench_run *br = &runs[nr];
		bool first_of_object = true;

		if (o.only && strcmp(o.only, cases[c].name))
			continue;
		br->bc = &cases[c];
		if (setup_run(br, &o, hs)) {
			failures++;
			teardown_run(br);
			memset(br, 0, sizeof(*br));
			continue;
		}
		fprintf(stderr, "bench_suite: %s ...", br->bc->name);
		for (int e = 0; e < NR_ENGINES; e++)
			if (engine_available(br, (enum engine)e))
				measure(br, (enum engine)e, &o);
		fprintf(stderr, " done\n");
		if (!check_agreement(br))
			failures++;
		for (int e = 0; e < NR_ENGINES; e++)
			if (e != ENG_KERNEL && engine_available(br, (enum engine)e) && !br->have[e])
				failures++; /* an engine of ours failed to run it */
		for (size_t k = 0; k < nr; k++)
			if (!strcmp(runs[k].bc->object, br->bc->object)) {
				first_of_object = false;
				memcpy(br->compile_ns, runs[k].compile_ns, sizeof(br->compile_ns));
			}
		if (first_of_object) {
			br->compile_ns[1] = compile_ns(br->prog, true, &o);
			br->compile_ns[0] = compile_ns(br->prog, false, &o);
			if (br->compile_ns[0] < 0 || br->compile_ns[1] < 0) {
				fprintf(stderr, "bench_suite: %s: jit_compile failed\n", br->bc->name);
				failures++;
			} else {
				compile_chk_ns += br->compile_ns[1];
				compile_unc_ns += br->compile_ns[0];
				compile_insns += uebpf_prog_insn_cnt(br->prog);
				compile_progs++;
			}
		}
		nr++;
	}

	if (o.smoke) {
		for (size_t i = 0; i < nr; i++) {
			printf("%-16s", runs[i].bc->name);
			for (int e = 0; e < NR_ENGINES; e++)
				if (runs[i].have[e])
					printf(" %s=%" PRIu32, engine_names[e], runs[i].retval[e]);
			printf("\n");
			if (!runs[i].have[ENG_KERNEL] && runs[i].kernel_msg[0])
				printf("  kernel: %s\n", runs[i].kernel_msg);
		}
	} else {
		/* ns per instruction is us per 1000 instructions */
		double per_insn = compile_insns ? 1.0 / (double)compile_insns : 0;

		print_table(runs, nr, &o, compile_chk_ns * per_insn, compile_unc_ns * per_insn,
			    compile_progs, compile_insns, helpers_used);
	}
	for (size_t i = 0; i < nr; i++)
		teardown_run(&runs[i]);
	free(runs);
	uebpf_helper_set_destroy(hs);
	if (failures)
		fprintf(stderr, "bench_suite: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
