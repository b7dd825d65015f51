/* SPDX-License-Identifier: MIT */
/*
 * Kernel parity: the example objects run in the Linux kernel (libbpf +
 * BPF_PROG_TEST_RUN) and in uebpf (uebpf_prog_test_run) on the same inputs
 * must give the same return values, output data, output context and map
 * contents after every run.
 *
 * Each program gets a fresh copy of its object on both sides, then every
 * input in turn; after each run every map of the object is compared. The
 * process is pinned to CPU 0 so per-CPU maps fill the same slot on both
 * sides. Programs and maps one side cannot test or read are skipped with the
 * reason printed. Needs bpf(2) (root): otherwise exits 77 (CTest: skipped).
 *
 * usage: kparity [--verbose] OBJ...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_ether.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "uebpf/helpers.h"
#include "uebpf/map.h"
#include "uebpf/object.h"
#include "uebpf/test_run.h"
#include "uebpf/verifier.h"

#define SKIP_EXIT 77
#define OUT_CAP 8192
#define MAX_INPUTS 32

struct counts {
	unsigned objects, programs, runs, map_checks;
	unsigned skipped_objects, skipped_programs, skipped_maps;
	unsigned failures;
};

static bool verbose;
static struct counts n;

/* --------------------------------------------------------------- inputs */

struct input {
	const char *name;
	uint8_t data[1600];
	size_t len;
	/* Context given to both sides (NULL: none): struct xdp_md or
	 * struct __sk_buff depending on the program type. */
	bool with_ctx;
	uint32_t repeat;        /* BPF_PROG_TEST_RUN's repeat (0: once) */
};

static struct input inputs[MAX_INPUTS];
static size_t nr_inputs;

static size_t put_eth(uint8_t *p, const uint8_t dst[6], uint16_t type)
{
	static const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = (uint8_t)(type >> 8);
	p[13] = (uint8_t)type;
	return ETH_HLEN;
}

static size_t put_ipv4(uint8_t *p, uint8_t proto, uint16_t total_len)
{
	static const uint8_t hdr[20] = { 0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 0, 0, 0,
					 10, 0, 0, 1, 10, 0, 0, 2 };

	memcpy(p, hdr, sizeof(hdr));
	p[2] = (uint8_t)(total_len >> 8);
	p[3] = (uint8_t)total_len;
	p[9] = proto;
	return sizeof(hdr);
}

static size_t put_l4(uint8_t *p, uint8_t proto, uint16_t sport, uint16_t dport)
{
	p[0] = (uint8_t)(sport >> 8);
	p[1] = (uint8_t)sport;
	p[2] = (uint8_t)(dport >> 8);
	p[3] = (uint8_t)dport;
	if (proto == 6) {            /* TCP: seq, ack, data offset 5, SYN */
		memset(p + 4, 0, 16);
		p[12] = 0x50;
		p[13] = 0x02;
		return 20;
	}
	p[4] = 0;                    /* UDP: length, checksum */
	p[5] = 8;
	p[6] = p[7] = 0;
	return 8;
}

static struct input *add_input(const char *name)
{
	struct input *in = &inputs[nr_inputs++];

	memset(in, 0, sizeof(*in));
	in->name = name;
	return in;
}

static void add_ipv4(const char *name, const uint8_t dst[6], uint8_t proto, uint16_t dport,
		     size_t payload)
{
	struct input *in = add_input(name);
	size_t l4 = proto == 6 ? 20 : 8;
	uint8_t *p = in->data;

	p += put_eth(p, dst, ETH_P_IP);
	p += put_ipv4(p, proto, (uint16_t)(20 + l4 + payload));
	p += put_l4(p, proto, 40000, dport);
	for (size_t i = 0; i < payload; i++)
		*p++ = (uint8_t)(i * 7 + 1);
	in->len = (size_t)(p - in->data);
}

static void build_inputs(void)
{
	static const uint8_t host[6] = { 0 };   /* the loopback device's address */
	static const uint8_t other[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	struct input *in;
	uint32_t x = 12345;

	add_ipv4("udp4 to port 53", host, 17, 53, 16);
	add_ipv4("udp4 to port 53 again", other, 17, 53, 4);
	add_ipv4("tcp4 to port 23 (blocked)", host, 6, 23, 0);
	add_ipv4("tcp4 to port 80", other, 6, 80, 32);
	add_ipv4("udp4 broadcast to port 67", bcast, 17, 67, 0);
	add_ipv4("udp4 multicast to port 5353", mcast, 17, 5353, 12);
	add_ipv4("udp4 of 1200 bytes", other, 17, 9999, 1200 - 42);
	add_ipv4("icmp4", host, 1, 0, 8);

	in = add_input("udp6 to port 53");
	put_eth(in->data, other, ETH_P_IPV6);
	in->data[14] = 0x60;
	in->data[14 + 4] = 0;
	in->data[14 + 5] = 8 + 8;           /* payload length */
	in->data[14 + 6] = 17;              /* next header */
	in->data[14 + 7] = 64;
	in->data[14 + 8 + 15] = 1;          /* ::1 -> ::2 */
	in->data[14 + 24 + 15] = 2;
	in->len = 14 + 40 + put_l4(in->data + 54, 17, 1000, 53) + 8;

	in = add_input("truncated ipv4 (eth + 10 bytes)");
	put_eth(in->data, host, ETH_P_IP);
	put_ipv4(in->data + 14, 17, 28);
	in->len = 24;

	in = add_input("ethernet header only");
	put_eth(in->data, host, ETH_P_IP);
	in->len = ETH_HLEN;

	in = add_input("802.2 frame (length, not type)");
	put_eth(in->data, other, 0x0026);
	memset(in->data + 14, 0x42, 38);
	in->len = 52;

	in = add_input("garbage, 64 bytes");
	for (size_t i = 0; i < 64; i++) {
		x = x * 1103515245u + 12345u;
		in->data[i] = (uint8_t)(x >> 16);
	}
	in->len = 64;

	in = add_input("too short (10 bytes)");
	memset(in->data, 0xab, 10);
	in->len = 10;

	in = add_input("udp4 with a context");
	memcpy(in->data, inputs[0].data, inputs[0].len);
	in->len = inputs[0].len;
	in->with_ctx = true;

	in = add_input("tcp4 to port 80, repeat 5");
	memcpy(in->data, inputs[3].data, inputs[3].len);
	in->len = inputs[3].len;
	in->repeat = 5;
}

/* ---------------------------------------------------------------- output */

static void fail(const char *obj, const char *prog, const char *input, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(const char *obj, const char *prog, const char *input, const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s %s [%s]: ", obj, prog, input);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	n.failures++;
}

static void print_hex(const char *label, const uint8_t *p, size_t len)
{
	printf("    %s (%zu bytes):", label, len);
	for (size_t i = 0; i < len && i < 96; i++)
		printf(" %02x", p[i]);
	printf(len > 96 ? " ...\n" : "\n");
}

static int quiet_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (verbose && level != LIBBPF_DEBUG)
		return vfprintf(stderr, fmt, ap);
	return 0;
}

/* ------------------------------------------------------------ contexts */

/* The context both sides get for inputs with_ctx: metadata for XDP (the
 * first 8 bytes of the input), the settable skb fields for tc/socket. */
static size_t make_ctx(uint32_t prog_type, const struct input *in, void *ctx)
{
	if (prog_type == BPF_PROG_TYPE_XDP) {
		struct xdp_md *md = ctx;

		memset(md, 0, sizeof(*md));
		md->data = 8;
		md->data_end = (uint32_t)in->len;
		return sizeof(*md);
	}
	struct __sk_buff *skb = ctx;

	memset(skb, 0, sizeof(*skb));
	skb->mark = 7;
	skb->priority = 3;
	skb->cb[0] = 0x11223344;
	skb->cb[4] = 0xffffffff;
	return sizeof(*skb);
}

/* --------------------------------------------------------------- maps */

struct entry {
	uint8_t *key;
	uint8_t *value;
};

struct entries {
	struct entry *v;
	size_t nr, cap;
	uint32_t ksize;
	size_t vsize;
};

static void entries_free(struct entries *e)
{
	for (size_t i = 0; i < e->nr; i++) {
		free(e->v[i].key);
		free(e->v[i].value);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static int entries_add(struct entries *e, const void *key, const void *value)
{
	if (e->nr == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 16;
		struct entry *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->nr].key = malloc(e->ksize ? e->ksize : 1);
	e->v[e->nr].value = malloc(e->vsize ? e->vsize : 1);
	if (!e->v[e->nr].key || !e->v[e->nr].value)
		return -ENOMEM;
	memcpy(e->v[e->nr].key, key, e->ksize);
	memcpy(e->v[e->nr].value, value, e->vsize);
	e->nr++;
	return 0;
}

static uint32_t sort_ksize;

static int cmp_entry(const void *a, const void *b)
{
	return memcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key, sort_ksize);
}

static void entries_sort(struct entries *e)
{
	sort_ksize = e->ksize;
	if (e->nr > 1)
		qsort(e->v, e->nr, sizeof(*e->v), cmp_entry);
}

static int read_kernel_map(int fd, uint32_t type, struct entries *e)
{
	uint8_t *key = calloc(1, e->ksize + 1), *next = calloc(1, e->ksize + 1);
	uint8_t *value = calloc(1, e->vsize + 1);
	bool first = true;
	int ret = 0;

	if (!key || !next || !value) {
		ret = -ENOMEM;
		goto out;
	}
	if (type == BPF_MAP_TYPE_QUEUE || type == BPF_MAP_TYPE_STACK) {
		if (!bpf_map_lookup_elem(fd, NULL, value))
			ret = entries_add(e, key, value);
		goto out;
	}
	for (;;) {
		if (bpf_map_get_next_key(fd, first ? NULL : key, next))
			break;
		first = false;
		memcpy(key, next, e->ksize);
		if (bpf_map_lookup_elem(fd, key, value))
			continue;
		ret = entries_add(e, key, value);
		if (ret)
			break;
	}
out:
	free(key);
	free(next);
	free(value);
	return ret;
}

static int read_uebpf_map(struct uebpf_map *map, struct entries *e)
{
	uint8_t *key = calloc(1, e->ksize + 1), *next = calloc(1, e->ksize + 1);
	uint8_t *value = calloc(1, e->vsize + 1);
	uint32_t type = uebpf_map_type(map);
	bool first = true;
	int ret = 0;

	if (!key || !next || !value) {
		ret = -ENOMEM;
		goto out;
	}
	if (type == BPF_MAP_TYPE_QUEUE || type == BPF_MAP_TYPE_STACK) {
		if (!uebpf_map_peek(map, value, NULL))
			ret = entries_add(e, key, value);
		goto out;
	}
	for (;;) {
		if (uebpf_map_get_next_key(map, first ? NULL : key, next, NULL))
			break;
		first = false;
		memcpy(key, next, e->ksize);
		if (uebpf_map_lookup(map, key, value, NULL))
			continue;
		ret = entries_add(e, key, value);
		if (ret)
			break;
	}
out:
	free(key);
	free(next);
	free(value);
	return ret;
}

/* Why a map's contents cannot be compared, NULL when they can. */
static const char *map_not_comparable(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_PROG_ARRAY:
		return "values are program fds (kernel) and registry ids (uebpf)";
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return "values are map ids, different on each side (the inner maps are compared)";
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return "records are consumed, not looked up";
	case BPF_MAP_TYPE_BLOOM_FILTER:
		return "a bloom filter cannot be listed";
	default:
		return NULL;
	}
}

struct run_id {
	const char *obj, *prog, *input;
};

/* The kernel hides the contents of struct bpf_timer and struct
 * bpf_spin_lock fields from map lookups (check_and_init_map_value zeroes
 * them); uebpf's timer field holds its record's cookie. Both are opaque
 * handles, so these bytes of the value (top-level members of the value
 * struct, found in the kernel object's BTF) are zeroed on the uebpf side
 * before comparing. Returns how many bytes were masked. */
static size_t mask_special_fields(struct bpf_object *kobj, const struct bpf_map *kmap,
				  struct entries *ue)
{
	const struct btf *btf = bpf_object__btf(kobj);
	const struct btf_type *t;
	const struct btf_member *m;
	size_t masked = 0;

	if (!btf || !bpf_map__btf_value_type_id(kmap))
		return 0;
	t = btf__type_by_id(btf, bpf_map__btf_value_type_id(kmap));
	if (!t || !btf_is_struct(t))
		return 0;
	m = btf_members(t);
	for (unsigned i = 0; i < btf_vlen(t); i++, m++) {
		int id = btf__resolve_type(btf, m->type);
		const struct btf_type *mt = id > 0 ? btf__type_by_id(btf, id) : NULL;
		const char *name = mt && btf_is_struct(mt) ? btf__name_by_offset(btf, mt->name_off) : NULL;
		uint32_t off = btf_member_bit_offset(t, i) / 8;

		if (!name || (strcmp(name, "bpf_timer") && strcmp(name, "bpf_spin_lock")) ||
		    off + mt->size > ue->vsize)
			continue;
		for (size_t k = 0; k < ue->nr; k++)
			memset((uint8_t *)ue->v[k].value + off, 0, mt->size);
		masked += mt->size;
	}
	return masked;
}

/* Compares every map of the uebpf object with the kernel map of the same
 * name. Skip reasons are printed once per program (print_skips). */
static void compare_maps(const struct run_id *id, struct bpf_object *kobj,
			 struct uebpf_object *uobj, bool print_skips)
{
	for (size_t i = 0; i < uebpf_object_map_cnt(uobj); i++) {
		struct uebpf_object_map *om = uebpf_object_map_at(uobj, i);
		struct uebpf_map *umap = uebpf_object_map_get(om);
		const char *name = uebpf_object_map_name(om);
		struct bpf_map *kmap = bpf_object__find_map_by_name(kobj, name);
		struct entries ke = { 0 }, ue = { 0 };
		const char *why;
		bool differ = false;

		if (!umap)
			continue;
		why = map_not_comparable(uebpf_map_type(umap));
		if (!why && !kmap)
			why = "the kernel object has no map of that name (libbpf's inner-map template)";
		if (!why && bpf_map__value_size(kmap) != uebpf_map_value_size(umap))
			why = "the two sides give it different value sizes";
		if (why) {
			if (print_skips) {
				printf("  skip map %s: %s\n", name, why);
				n.skipped_maps++;
			}
			continue;
		}
		ke.ksize = ue.ksize = uebpf_map_key_size(umap);
		ue.vsize = uebpf_map_host_value_size(umap);
		ke.vsize = ue.vsize;
		if (uebpf_map_nr_slots(umap) > 1 &&
		    uebpf_map_nr_slots(umap) != (unsigned)libbpf_num_possible_cpus()) {
			if (print_skips) {
				printf("  skip map %s: %u CPU slots here, %d possible CPUs in the kernel\n",
				       name, uebpf_map_nr_slots(umap), libbpf_num_possible_cpus());
				n.skipped_maps++;
			}
			continue;
		}
		if (read_kernel_map(bpf_map__fd(kmap), bpf_map__type(kmap), &ke) ||
		    read_uebpf_map(umap, &ue)) {
			fail(id->obj, id->prog, id->input, "map %s: cannot read it", name);
			goto next;
		}
		if (mask_special_fields(kobj, kmap, &ue) && print_skips)
			printf("  map %s: bpf_timer/bpf_spin_lock fields not compared (the kernel hides them)\n",
			       name);
		n.map_checks++;
		entries_sort(&ke);
		entries_sort(&ue);
		if (ke.nr != ue.nr) {
			fail(id->obj, id->prog, id->input, "map %s: kernel has %zu entries, uebpf %zu",
			     name, ke.nr, ue.nr);
			differ = true;
		} else {
			for (size_t k = 0; k < ke.nr; k++) {
				if (memcmp(ke.v[k].key, ue.v[k].key, ke.ksize) ||
				    memcmp(ke.v[k].value, ue.v[k].value, ke.vsize)) {
					fail(id->obj, id->prog, id->input, "map %s: entry %zu differs",
					     name, k);
					differ = true;
					break;
				}
			}
		}
		if (differ) {
			for (size_t k = 0; k < ke.nr && k < 8; k++) {
				print_hex("kernel key", ke.v[k].key, ke.ksize);
				print_hex("kernel value", ke.v[k].value, ke.vsize);
			}
			for (size_t k = 0; k < ue.nr && k < 8; k++) {
				print_hex("uebpf key", ue.v[k].key, ue.ksize);
				print_hex("uebpf value", ue.v[k].value, ue.vsize);
			}
		}
next:
		entries_free(&ke);
		entries_free(&ue);
	}
}

/* ------------------------------------------------------------- programs */

static bool kernel_can_test_run(uint32_t type)
{
	return type == BPF_PROG_TYPE_XDP || type == BPF_PROG_TYPE_SCHED_CLS ||
	       type == BPF_PROG_TYPE_SCHED_ACT || type == BPF_PROG_TYPE_SOCKET_FILTER ||
	       type == BPF_PROG_TYPE_RAW_TRACEPOINT;
}

/* Opens and loads the object in the kernel, only the programs the kernel
 * can test-run (kprobes and the like may not load here). Pinning requests
 * are dropped: they need a mounted bpffs and would share maps between
 * runs. */
static struct bpf_object *load_kernel_object(const char *path, int *err)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	struct bpf_map *map;

	if (!obj) {
		*err = errno;
		return NULL;
	}
	bpf_object__for_each_map(map, obj)
		bpf_map__set_pin_path(map, NULL);
	bpf_object__for_each_program(prog, obj)
		if (!kernel_can_test_run(bpf_program__type(prog)))
			bpf_program__set_autoload(prog, false);
	if (bpf_object__load(obj)) {
		*err = errno;
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

struct side_result {
	int err;                 /* 0 or negative errno */
	uint32_t retval;
	uint8_t data[OUT_CAP];
	size_t data_len;
	uint8_t ctx[256];
	size_t ctx_len;
};

static void run_kernel(int fd, uint32_t type, const struct input *in, struct side_result *r)
{
	LIBBPF_OPTS(bpf_test_run_opts, o);
	uint8_t ctx_in[256];

	memset(r, 0, sizeof(*r));
	if (type == BPF_PROG_TYPE_RAW_TRACEPOINT) {
		memset(ctx_in, 0, sizeof(ctx_in));
		memcpy(ctx_in, in->data, in->len < 64 ? in->len : 64);
		o.ctx_in = ctx_in;
		o.ctx_size_in = 64;
	} else {
		o.data_in = in->data;
		o.data_size_in = (uint32_t)in->len;
		o.data_out = r->data;
		o.data_size_out = sizeof(r->data);
		if (in->with_ctx) {
			o.ctx_size_in = (uint32_t)make_ctx(type, in, ctx_in);
			o.ctx_in = ctx_in;
			o.ctx_out = r->ctx;
			o.ctx_size_out = sizeof(r->ctx);
		}
	}
	if (type != BPF_PROG_TYPE_RAW_TRACEPOINT)   /* raw_tp takes no repeat */
		o.repeat = in->repeat;
	r->err = bpf_prog_test_run_opts(fd, &o) ? -errno : 0;
	r->retval = o.retval;
	r->data_len = o.data_size_out;
	r->ctx_len = o.ctx_out ? o.ctx_size_out : 0;
}

static void compare_run(const struct run_id *id, const struct side_result *k,
			const struct side_result *u, const struct uebpf_error *uerr)
{
	n.runs++;
	if (k->err || u->err) {
		if (!k->err || !u->err)
			fail(id->obj, id->prog, id->input, "kernel %s, uebpf %s%s%s",
			     k->err ? strerror(-k->err) : "ran", u->err ? "failed: " : "ran",
			     u->err ? uerr->msg : "", "");
		else if (verbose)
			printf("  ok %s: both refuse (kernel: %s)\n", id->input, strerror(-k->err));
		return;
	}
	if (k->retval != u->retval) {
		fail(id->obj, id->prog, id->input, "retval: kernel %u, uebpf %u", k->retval, u->retval);
		return;
	}
	if (k->data_len != u->data_len || memcmp(k->data, u->data, k->data_len)) {
		fail(id->obj, id->prog, id->input, "output data differs");
		print_hex("kernel", k->data, k->data_len);
		print_hex("uebpf", u->data, u->data_len);
		return;
	}
	if (k->ctx_len != u->ctx_len || memcmp(k->ctx, u->ctx, k->ctx_len)) {
		fail(id->obj, id->prog, id->input, "output context differs");
		print_hex("kernel", k->ctx, k->ctx_len);
		print_hex("uebpf", u->ctx, u->ctx_len);
		return;
	}
	if (verbose)
		printf("  ok %s: retval %u, %zu bytes out\n", id->input, k->retval, k->data_len);
}

/* Opens and loads the object in uebpf with the helpers of `type`: all its
 * programs (tail calls need them), or when one of them does not load, the
 * program under test alone. */
static int open_uebpf(const char *path, const char *prog_name, uint32_t type,
		      struct uebpf_helper_set **helpers, struct uebpf_object **obj,
		      struct uebpf_error *err)
{
	struct uebpf_object_opts opts = { .sz = sizeof(opts) };
	int ret;

	ret = uebpf_helper_set_create_linux(type, helpers, err);
	if (ret)
		return ret;
	opts.helpers = *helpers;
	for (int alone = 0; alone < 2; alone++) {
		ret = uebpf_object_open_file(path, &opts, obj, err);
		if (ret)
			return ret;
		for (size_t i = 0; alone && i < uebpf_object_prog_cnt(*obj); i++) {
			struct uebpf_object_prog *p = uebpf_object_prog_at(*obj, i);

			uebpf_object_prog_set_autoload(p, strcmp(uebpf_object_prog_name(p),
								 prog_name) == 0);
		}
		ret = uebpf_object_load(*obj, err);
		if (!ret)
			return 0;
		uebpf_object_destroy(*obj);
		*obj = NULL;
	}
	return ret;
}

static void verify_map_of(const struct uebpf_object_map *om, struct uebpf_verify_map *vm)
{
	struct uebpf_map_spec spec = { .sz = sizeof(spec) };

	uebpf_object_map_spec(om, &spec);
	*vm = (struct uebpf_verify_map){
		.name = spec.name, .type = spec.type, .key_size = spec.key_size,
		.value_size = spec.value_size, .max_entries = spec.max_entries,
		.map_flags = spec.map_flags,
	};
}

static bool verify_uebpf(struct uebpf_object *obj, struct uebpf_object_prog *op, uint32_t type,
			 struct uebpf_error *err)
{
	struct uebpf_verify_opts vo = { .sz = sizeof(vo), .prog_type = type };
	struct uebpf_verify_map maps[64], inners[64];
	size_t nr = uebpf_object_map_cnt(obj);

	if (nr > 64)
		return false;
	for (size_t i = 0; i < nr; i++) {
		const struct uebpf_object_map *om = uebpf_object_map_at(obj, i);

		verify_map_of(om, &maps[i]);
		if (uebpf_object_map_inner(om)) {
			verify_map_of(uebpf_object_map_inner(om), &inners[i]);
			maps[i].inner_map = &inners[i];
		}
	}
	vo.maps = maps;
	vo.nr_maps = nr;
	vo.expected_attach_type = uebpf_object_prog_expected_attach_type(op);
	return uebpf_prog_verify(uebpf_object_prog_get(op), &vo, NULL, err) == 0;
}

/* One uebpf copy of the object, run by one engine. */
struct uebpf_side {
	const char *engine_name;
	enum uebpf_engine engine;
	struct uebpf_helper_set *helpers;
	struct uebpf_object *obj;
	struct uebpf_object_prog *prog;
	/* Timers need an environment (bpf_timer_* return -EOPNOTSUPP
	 * without one), as the CLI's test runs have. */
	struct uebpf_env *env;
	bool verified;
	char label[128];          /* "prog (engine)" for messages */
};

static int prepare_side(struct uebpf_side *side, const char *path, const char *prog_name,
			uint32_t type, struct uebpf_error *err)
{
	struct uebpf_env_opts env_opts = { .sz = sizeof(env_opts) };
	int ret = uebpf_env_create(&env_opts, &side->env, err);

	if (ret)
		return ret;
	ret = open_uebpf(path, prog_name, type, &side->helpers, &side->obj, err);
	if (ret)
		return ret;
	side->prog = uebpf_object_find_prog(side->obj, prog_name);
	if (!side->prog || !uebpf_object_prog_get(side->prog)) {
		snprintf(err->msg, sizeof(err->msg), "uebpf did not load the program");
		return -ENOENT;
	}
	/* Every program of the object: an unchecked run may tail-call only
	 * into verified programs. */
	for (size_t i = 0; i < uebpf_object_prog_cnt(side->obj); i++) {
		struct uebpf_object_prog *op = uebpf_object_prog_at(side->obj, i);
		struct uebpf_error ignored = { 0 };

		if (op != side->prog && uebpf_object_prog_get(op))
			verify_uebpf(side->obj, op, uebpf_object_prog_type(op), &ignored);
	}
	uebpf_error_clear(err);
	side->verified = verify_uebpf(side->obj, side->prog, type, err);
	snprintf(side->label, sizeof(side->label), "%s (%s)", prog_name, side->engine_name);
	return 0;
}

static void release_side(struct uebpf_side *side)
{
	uebpf_env_destroy(side->env); /* cancels timers before their programs go */
	uebpf_object_destroy(side->obj);
	uebpf_helper_set_destroy(side->helpers);
}

static void run_uebpf(const struct uebpf_side *side, uint32_t type, const struct input *in,
		      struct side_result *r, struct uebpf_error *err)
{
	struct uebpf_test_run_opts o = {
		.sz = sizeof(o), .prog_type = type,
		.expected_attach_type = uebpf_object_prog_expected_attach_type(side->prog),
	};
	uint8_t ctx_in[256];

	memset(r, 0, sizeof(*r));
	if (type == BPF_PROG_TYPE_RAW_TRACEPOINT) {
		memset(ctx_in, 0, sizeof(ctx_in));
		memcpy(ctx_in, in->data, in->len < 64 ? in->len : 64);
		o.ctx_in = ctx_in;
		o.ctx_size_in = 64;
	} else {
		o.data_in = in->data;
		o.data_size_in = in->len;
		o.data_out = r->data;
		o.data_size_out = sizeof(r->data);
		if (in->with_ctx) {
			o.ctx_size_in = make_ctx(type, in, ctx_in);
			o.ctx_in = ctx_in;
			o.ctx_out = r->ctx;
			o.ctx_size_out = sizeof(r->ctx);
		}
	}
	if (type != BPF_PROG_TYPE_RAW_TRACEPOINT)
		o.repeat = in->repeat;
	o.engine = side->engine;
	o.env = side->env;
	o.run_flags = side->verified ? UEBPF_RUN_UNCHECKED : 0;
	uebpf_error_clear(err);
	r->err = uebpf_prog_test_run(uebpf_object_prog_get(side->prog), &o, err);
	r->retval = o.retval;
	r->data_len = o.data_size_out;
	r->ctx_len = o.ctx_out ? o.ctx_size_out : 0;
}

/* Runs every input through the kernel and through both uebpf engines (each
 * with its own copy of the maps), comparing after every run. */
static void test_program(const char *path, const char *base, const char *prog_name, uint32_t type)
{
	struct uebpf_side sides[2] = {
		{ .engine_name = "interp", .engine = UEBPF_ENGINE_INTERP },
		{ .engine_name = "jit", .engine = UEBPF_ENGINE_JIT },
	};
	struct uebpf_error err = { 0 };
	struct side_result *k = malloc(sizeof(*k)), *u = malloc(sizeof(*u));
	struct bpf_program *kprog;
	struct bpf_object *kobj;
	int ret;

	if (!k || !u)
		goto out_free;
	kobj = load_kernel_object(path, &ret);
	if (!kobj) {
		printf("  skip %s: the kernel refuses the object now (%s)\n", prog_name, strerror(ret));
		n.skipped_programs++;
		goto out_free;
	}
	kprog = bpf_object__find_program_by_name(kobj, prog_name);
	for (size_t s = 0; s < 2; s++) {
		if (!kprog || prepare_side(&sides[s], path, prog_name, type, &err)) {
			printf("  skip %s: uebpf does not load it: %s\n", prog_name, err.msg);
			n.skipped_programs++;
			goto out;
		}
	}
	printf("  program %s (%s)%s%s\n", prog_name, uebpf_prog_type_name(type),
	       sides[0].verified ? ": verified" :
	       ": runs with runtime checks, the verifier refused it: ",
	       sides[0].verified ? "" : err.msg);
	n.programs++;
	for (size_t i = 0; i < nr_inputs; i++) {
		/* Raw tracepoints take u64 arguments, not packets: the first
		 * inputs' bytes serve as arguments, more add nothing. */
		if (type == BPF_PROG_TYPE_RAW_TRACEPOINT && (inputs[i].with_ctx || i >= 3))
			continue;
		run_kernel(bpf_program__fd(kprog), type, &inputs[i], k);
		for (size_t s = 0; s < 2; s++) {
			struct run_id id = { base, sides[s].label, inputs[i].name };

			run_uebpf(&sides[s], type, &inputs[i], u, &err);
			compare_run(&id, k, u, &err);
			compare_maps(&id, kobj, sides[s].obj, i == 0 && s == 0);
		}
	}
out:
	release_side(&sides[0]);
	release_side(&sides[1]);
	bpf_object__close(kobj);
out_free:
	free(k);
	free(u);
}

static void test_object(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct bpf_object *kobj;
	struct bpf_program *p;
	char *names[64];
	uint32_t types[64];
	size_t nr = 0;
	int err;

	printf("%s\n", base);
	kobj = load_kernel_object(path, &err);
	if (!kobj) {
		printf("  skip object: libbpf or the kernel refuses it (%s; run with --verbose for "
		       "libbpf's log)\n", strerror(err));
		n.skipped_objects++;
		return;
	}
	bpf_object__close(kobj);
	kobj = bpf_object__open_file(path, NULL);
	if (!kobj) {
		printf("  skip object: libbpf cannot open it again (%s)\n", strerror(errno));
		n.skipped_objects++;
		return;
	}
	n.objects++;
	bpf_object__for_each_program(p, kobj) {
		uint32_t type = bpf_program__type(p);

		if (!kernel_can_test_run(type)) {
			printf("  skip %s: the kernel has no BPF_PROG_TEST_RUN for %s programs\n",
			       bpf_program__name(p), libbpf_bpf_prog_type_str(type));
			n.skipped_programs++;
			continue;
		}
		if (nr < 64) {
			names[nr] = strdup(bpf_program__name(p));
			types[nr++] = type;
		}
	}
	bpf_object__close(kobj);
	for (size_t i = 0; i < nr; i++) {
		if (names[i])
			test_program(path, base, names[i], types[i]);
		free(names[i]);
	}
}

/* ---------------------------------------------------------------- main */

static int probe_bpf(char *why, size_t len)
{
	static const struct bpf_insn ret2[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 2 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "kparity_probe", "GPL", ret2, 2, NULL);

	if (fd < 0) {
		int e = errno;

		snprintf(why, len, "bpf(BPF_PROG_LOAD) of a 2-instruction XDP program failed: %s%s",
			 strerror(e), e == EPERM ? " (needs root or CAP_BPF + CAP_NET_ADMIN)" : "");
		return -e;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	char why[256];
	cpu_set_t cpus;
	int first = 1;

	if (argc > 1 && strcmp(argv[1], "--verbose") == 0) {
		verbose = true;
		first = 2;
	}
	if (first >= argc) {
		printf("kparity: no example objects given (clang-19 missing?): skipping\n");
		return SKIP_EXIT;
	}
	libbpf_set_print(quiet_libbpf);
	if (probe_bpf(why, sizeof(why))) {
		printf("kparity: %s: skipping\n", why);
		return SKIP_EXIT;
	}
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		printf("kparity: cannot pin to CPU 0 (%s): per-CPU maps may differ\n", strerror(errno));
	build_inputs();
	for (int i = first; i < argc; i++)
		test_object(argv[i]);
	printf("\nkparity: %u objects, %u programs, %u runs and %u map comparisons; "
	       "skipped %u objects, %u programs, %u maps; %u failures\n",
	       n.objects, n.programs, n.runs, n.map_checks, n.skipped_objects,
	       n.skipped_programs, n.skipped_maps, n.failures);
	if (n.failures)
		return 1;
	if (!n.runs) {
		printf("kparity: nothing could be compared: skipping\n");
		return SKIP_EXIT;
	}
	return 0;
}
