/* SPDX-License-Identifier: MIT */
/* The verifier corpus header (corpus_spec.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "corpus_spec.h"

char *corpus_read_file(const char *path)
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

/* One `# map:` line into the next map of *s. */
static int parse_map(const char *val, struct corpus_spec *s, char *why, size_t why_len)
{
	struct uebpf_verify_map *m = &s->maps[s->opts.nr_maps];
	char name[32], type[32], flags[32] = "";

	if (s->opts.nr_maps == CORPUS_MAX_MAPS) {
		snprintf(why, why_len, "more than %d maps", CORPUS_MAX_MAPS);
		return -1;
	}
	if (sscanf(val, "%31s %31s %u %u %u %31s", name, type, &m->key_size, &m->value_size,
		   &m->max_entries, flags) < 5 || (m->type = map_type(type)) == UINT32_MAX) {
		snprintf(why, why_len, "bad map line '%s'", val);
		return -1;
	}
	snprintf(s->map_names[s->opts.nr_maps], sizeof(s->map_names[0]), "%s", name);
	m->name = s->map_names[s->opts.nr_maps];
	if (!strcmp(flags, "rdonly"))
		m->map_flags = BPF_F_RDONLY_PROG;
	else if (!strcmp(flags, "wronly"))
		m->map_flags = BPF_F_WRONLY_PROG;
	s->opts.nr_maps++;
	return 0;
}

int corpus_parse_header(const char *text, struct corpus_spec *s, char *why, size_t why_len)
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
		if (buf[0] != '#' || sscanf(buf, "# %31[a-z_]: %399[^\n]", key, val) != 2)
			continue;
		if (!strcmp(key, "type")) {
			s->opts.prog_type = uebpf_prog_type_from_name(val);
			if (!s->opts.prog_type) {
				snprintf(why, why_len, "unknown program type '%s'", val);
				return -1;
			}
		} else if (!strcmp(key, "mem")) {
			s->opts.mem_size = strtoul(val, NULL, 0);
		} else if (!strcmp(key, "strict")) {
			s->opts.strict = !strcmp(val, "yes");
		} else if (!strcmp(key, "attach")) {
			s->opts.expected_attach_type = (uint32_t)strtoul(val, NULL, 0);
		} else if (!strcmp(key, "map")) {
			if (parse_map(val, s, why, why_len))
				return -1;
		} else if (!strcmp(key, "expect")) {
			s->have_expect = true;
			s->expect_accept = !strcmp(val, "accept");
		} else if (!strcmp(key, "reason")) {
			snprintf(s->reason, sizeof(s->reason), "%s", val);
		} else if (!strcmp(key, "insn")) {
			s->insn = strtol(val, NULL, 0);
		}
	}
	return 0;
}
