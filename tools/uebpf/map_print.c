/* SPDX-License-Identifier: MIT */
/* Printing a map's contents, shared by `uebpf map dump` and
 * `uebpf test-run --dump-maps`: hex keys and values, per-CPU values one per
 * slot, and (when the caller has the object's BTF) the typed form libbpf's
 * btf_dump gives. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "cli.h"
#include "uebpf/map.h"
#include "uebpf/object.h"

void cli_print_hex(FILE *out, const void *data, size_t len, bool spaced)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++)
		fprintf(out, spaced && i ? " %02x" : "%02x", p[i]);
}

static bool all_zero(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

static bool is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* Arrays always hold max_entries elements; most are zero in a dump taken
 * after a few runs, so zero ones are counted instead of printed. */
static bool is_array(uint32_t type)
{
	return type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

/* ------------------------------------------------------------- BTF form */

static void btf_vprintf(void *ctx, const char *fmt, va_list args)
{
	vfprintf(ctx, fmt, args);
}

/* Global data sections are shown variable by variable: clang leaves the
 * DATASEC offsets 0 for the loader to fill in (libbpf rewrites its BTF copy,
 * uebpf's loader keeps them in its symbol table: uebpf_object_find_var). */
static int dump_datasec(struct btf_dump *d, const struct cli_map_types *types,
			const struct btf_type *t, const unsigned char *data, size_t size,
			FILE *out, const struct btf_dump_type_data_opts *opts)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(t);
	const struct btf *btf = types->btf;

	for (unsigned i = 0; i < btf_vlen(t); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);
		const char *name = var ? btf__name_by_offset(btf, var->name_off) : NULL;
		struct uebpf_object_map *in_map;
		uint32_t off = vsi->offset, sz = vsi->size;
		int ret;

		if (!var || !btf_is_var(var) || !name)
			return -EINVAL;
		if (types->obj)
			uebpf_object_find_var(types->obj, name, &in_map, &off, &sz);
		if (off > size || sz > size - off)
			return -EINVAL;
		fprintf(out, "%s%s = ", i ? "; " : "", name);
		fflush(out);
		ret = btf_dump__dump_type_data(d, var->type, data + off, sz, opts);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* The typed form of `data` as one line (malloc'd), NULL when there is no
 * BTF for it or btf_dump cannot show it. */
static char *btf_format(const struct cli_map_types *types, uint32_t type_id,
			const void *data, size_t size)
{
	struct btf_dump_type_data_opts opts = { .sz = sizeof(opts), .compact = true,
						.emit_zeroes = true };
	const struct btf_type *t;
	struct btf_dump *d;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	if (!types || !types->btf || !type_id)
		return NULL;
	t = btf__type_by_id(types->btf, type_id);
	if (!t)
		return NULL;
	mem = open_memstream(&text, &len);
	if (!mem)
		return NULL;
	d = btf_dump__new(types->btf, btf_vprintf, mem, NULL);
	if (!d) {
		fclose(mem);
		free(text);
		return NULL;
	}
	if (btf_is_datasec(t))
		ret = dump_datasec(d, types, t, data, size, mem, &opts);
	else
		ret = btf_dump__dump_type_data(d, type_id, data, size, &opts);
	btf_dump__free(d);
	fclose(mem);
	if (ret < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* ------------------------------------------------------------ one entry */

struct dump_state {
	FILE *out;
	struct uebpf_map *map;
	const struct cli_map_types *types;
	bool json;
	size_t printed;
};

static void print_value_json(struct dump_state *st, const unsigned char *value)
{
	uint32_t vsize = uebpf_map_value_size(st->map);
	FILE *out = st->out;
	char *typed;

	if (is_percpu(uebpf_map_type(st->map))) {
		size_t stride = (vsize + 7) & ~(size_t)7;

		fputs(",\"values\":[", out);
		for (unsigned cpu = 0; cpu < uebpf_map_nr_slots(st->map); cpu++) {
			fputs(cpu ? ",\"" : "\"", out);
			cli_print_hex(out, value + cpu * stride, vsize, false);
			fputc('"', out);
		}
		fputc(']', out);
		return;
	}
	fputs(",\"value\":\"", out);
	cli_print_hex(out, value, vsize, false);
	fputc('"', out);
	typed = btf_format(st->types, st->types ? st->types->value_type_id : 0, value, vsize);
	if (typed) {
		fputs(",\"value_btf\":", out);
		cli_json_string(out, typed);
		free(typed);
	}
}

static void print_value_text(struct dump_state *st, const unsigned char *value)
{
	uint32_t vsize = uebpf_map_value_size(st->map);
	FILE *out = st->out;

	if (is_percpu(uebpf_map_type(st->map))) {
		size_t stride = (vsize + 7) & ~(size_t)7;

		for (unsigned cpu = 0; cpu < uebpf_map_nr_slots(st->map); cpu++) {
			char *typed = btf_format(st->types, st->types ? st->types->value_type_id : 0,
						 value + cpu * stride, vsize);

			fprintf(out, "\n    cpu%u: ", cpu);
			cli_print_hex(out, value + cpu * stride, vsize, true);
			if (typed)
				fprintf(out, "  %s", typed);
			free(typed);
		}
		return;
	}
	cli_print_hex(out, value, vsize, true);
}

static void print_entry(struct dump_state *st, const unsigned char *key,
			const unsigned char *value)
{
	uint32_t ksize = uebpf_map_key_size(st->map);
	uint32_t vsize = uebpf_map_value_size(st->map);
	FILE *out = st->out;
	char *key_typed = btf_format(st->types, st->types ? st->types->key_type_id : 0, key, ksize);

	if (st->json) {
		fputs(st->printed ? ",{" : "{", out);
		if (key) {
			fputs("\"key\":\"", out);
			cli_print_hex(out, key, ksize, false);
			fputc('"', out);
			if (key_typed) {
				fputs(",\"key_btf\":", out);
				cli_json_string(out, key_typed);
			}
		} else {
			fputs("\"key\":null", out);
		}
		print_value_json(st, value);
		fputc('}', out);
	} else {
		fputs("  key: ", out);
		if (key)
			cli_print_hex(out, key, ksize, true);
		else
			fputs("(none)", out);
		fputs("  value: ", out);
		print_value_text(st, value);
		fputc('\n', out);
		if (!is_percpu(uebpf_map_type(st->map))) {
			char *value_typed = btf_format(st->types,
						       st->types ? st->types->value_type_id : 0,
						       value, vsize);

			if (key_typed && value_typed)
				fprintf(out, "    %s => %s\n", key_typed, value_typed);
			else if (key_typed)
				fprintf(out, "    %s\n", key_typed);
			else if (value_typed)
				fprintf(out, "    %s\n", value_typed);
			free(value_typed);
		}
	}
	free(key_typed);
	st->printed++;
}

/* --------------------------------------------------------------- a map */

static void print_header(FILE *out, struct uebpf_map *map, bool json)
{
	const char *type = uebpf_map_type_name(uebpf_map_type(map));

	if (json) {
		fputs("{\"name\":", out);
		cli_json_string(out, uebpf_map_name(map));
		fputs(",\"type\":", out);
		cli_json_string(out, type ? type : "unknown");
		fprintf(out, ",\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"flags\":%u",
			uebpf_map_key_size(map), uebpf_map_value_size(map),
			uebpf_map_max_entries(map), uebpf_map_flags(map));
		return;
	}
	fprintf(out, "map %s: %s, key %u B, value %u B, max_entries %u", uebpf_map_name(map),
		type ? type : "unknown", uebpf_map_key_size(map), uebpf_map_value_size(map),
		uebpf_map_max_entries(map));
	if (is_percpu(uebpf_map_type(map)))
		fprintf(out, ", %u CPU slots", uebpf_map_nr_slots(map));
	fputc('\n', out);
}

/* Maps with keys: walk get_next_key and print every element found. */
static int dump_keyed(struct dump_state *st, bool show_zero, size_t *zero_elems,
		      struct uebpf_error *err)
{
	struct uebpf_map *map = st->map;
	uint32_t ksize = uebpf_map_key_size(map);
	size_t vsize = uebpf_map_host_value_size(map);
	unsigned char *key = calloc(1, ksize ? ksize : 1);
	unsigned char *next = calloc(1, ksize ? ksize : 1);
	unsigned char *value = calloc(1, vsize ? vsize : 1);
	bool first = true;
	int ret = 0;

	if (!key || !next || !value) {
		ret = -ENOMEM;
		snprintf(err->msg, sizeof(err->msg), "out of memory dumping map '%s'",
			 uebpf_map_name(map));
		err->code = ret;
		goto out;
	}
	for (;;) {
		ret = uebpf_map_get_next_key(map, first ? NULL : key, next, err);
		if (ret == -ENOENT) {
			ret = 0;
			break;
		}
		if (ret)
			break;
		first = false;
		memcpy(key, next, ksize);
		ret = uebpf_map_lookup(map, key, value, err);
		if (ret == -ENOENT) {   /* deleted meanwhile, or an empty prog/map slot */
			ret = 0;
			continue;
		}
		if (ret)
			break;
		if (!show_zero && is_array(uebpf_map_type(map)) && all_zero(value, vsize)) {
			(*zero_elems)++;
			continue;
		}
		print_entry(st, key, value);
	}
out:
	free(key);
	free(next);
	free(value);
	return ret;
}

/* Queues and stacks cannot be walked without taking elements out: show
 * the next one (peek). */
static int dump_queue(struct dump_state *st, struct uebpf_error *err)
{
	size_t vsize = uebpf_map_value_size(st->map);
	unsigned char *value = calloc(1, vsize ? vsize : 1);
	int ret;

	if (!value) {
		snprintf(err->msg, sizeof(err->msg), "out of memory dumping map '%s'",
			 uebpf_map_name(st->map));
		return err->code = -ENOMEM;
	}
	ret = uebpf_map_peek(st->map, value, err);
	if (ret == -ENOENT)
		ret = 0;
	else if (!ret)
		print_entry(st, NULL, value);
	free(value);
	return ret;
}

int cli_map_dump(FILE *out, struct uebpf_map *map, const struct cli_map_types *types,
		 bool json, bool show_zero, struct uebpf_error *err)
{
	struct dump_state st = { .out = out, .map = map, .types = types, .json = json };
	uint32_t type = uebpf_map_type(map);
	const char *note = NULL;
	size_t zero_elems = 0;
	int ret = 0;

	print_header(out, map, json);
	if (json)
		fputs(",\"entries\":[", out);
	switch (type) {
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		ret = dump_queue(&st, err);
		note = "only the next element is shown (peek): queues and stacks cannot be walked";
		break;
	case BPF_MAP_TYPE_RINGBUF:
		note = "records are consumed, not dumped";
		break;
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		note = "perf buffers are consumed, not dumped";
		break;
	case BPF_MAP_TYPE_BLOOM_FILTER:
		note = "a bloom filter can only be asked about a value";
		break;
	default:
		ret = dump_keyed(&st, show_zero, &zero_elems, err);
		break;
	}
	if (json) {
		fputc(']', out);
		if (is_array(type) && !show_zero)
			fprintf(out, ",\"zero_elements\":%zu", zero_elems);
		if (type == BPF_MAP_TYPE_RINGBUF)
			fprintf(out, ",\"ringbuf_avail\":%llu",
				(unsigned long long)uebpf_ringbuf_avail(map));
		fputc('}', out);
	} else {
		if (zero_elems)
			fprintf(out, "  (%zu element%s all zero, not shown)\n", zero_elems,
				zero_elems == 1 ? "" : "s");
		if (type == BPF_MAP_TYPE_RINGBUF)
			fprintf(out, "  %llu bytes not consumed yet\n",
				(unsigned long long)uebpf_ringbuf_avail(map));
		if (note)
			fprintf(out, "  (%s)\n", note);
		else if (!st.printed && !zero_elems)
			fputs("  (empty)\n", out);
	}
	return ret;
}
