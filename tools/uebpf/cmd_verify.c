/* SPDX-License-Identifier: MIT */
/* `uebpf verify FILE`: runs the verifier on a program (.s, .bin, .data or an
 * ELF object) and prints the verdict; a refusal names the instruction, the
 * source line, the register state, why and the usual fix. */
#include <errno.h>
#include <getopt.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "uebpf/object.h"
#include "uebpf/verifier.h"

#define MAX_CLI_MAPS 64

struct verify_cli {
	const char *prog_name;
	uint32_t prog_type;          /* 0: from the file */
	uint32_t log_level;
	bool json, strict, mem_size_set;
	size_t mem_size;
	struct uebpf_verify_map maps[MAX_CLI_MAPS];
	size_t nr_maps;
	bool first_json;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: uebpf verify FILE [options]\n"
		"  FILE              .s assembly, .bin raw instructions, .data vector or an ELF object\n"
		"  --prog NAME       only this program of an ELF object\n"
		"  --type TYPE       program type: raw, socket_filter, sched_cls, sched_act, xdp,\n"
		"                    kprobe, tracepoint, raw_tracepoint, perf_event, tracing\n"
		"                    (default: from the ELF section, else raw)\n"
		"  --mem-size N      raw programs: size of the input buffer (default: the vector's\n"
		"                    mem section, else 0)\n"
		"  --map TYPE:KEY:VALUE:ENTRIES[:NAME]   describe map N (lddw imm N) for .s/.bin input;\n"
		"                    TYPE is hash, array, ringbuf, ... or a number\n"
		"  --strict          unprivileged rules\n"
		"  --log full|brief  print the verifier log (full: every explored instruction)\n"
		"  --json            one JSON object per program\n"
		"Exit status: 0 accepted, 1 refused or unreadable, 64 bad usage.\n");
}

static uint32_t map_type_from_name(const char *s)
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
	char *end;
	unsigned long v;

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(t[i].name, s))
			return t[i].type;
	v = strtoul(s, &end, 0);
	return *s && !*end ? (uint32_t)v : UINT32_MAX;
}

static bool parse_map(char *arg, struct uebpf_verify_map *m)
{
	char *f[5] = { 0 };
	int n = 0;

	for (char *tok = strtok(arg, ":"); tok && n < 5; tok = strtok(NULL, ":"))
		f[n++] = tok;
	if (n < 4)
		return false;
	memset(m, 0, sizeof(*m));
	m->type = map_type_from_name(f[0]);
	m->key_size = (uint32_t)strtoul(f[1], NULL, 0);
	m->value_size = (uint32_t)strtoul(f[2], NULL, 0);
	m->max_entries = (uint32_t)strtoul(f[3], NULL, 0);
	m->name = f[4];
	return m->type != UINT32_MAX;
}

/* Prints the verdict of one program; returns true when accepted. */
static bool report(struct verify_cli *c, const char *what, const struct bpf_insn *insns, size_t cnt,
		   struct uebpf_verify_opts *opts)
{
	struct uebpf_verify_result *res = NULL;
	struct uebpf_error err;
	const struct uebpf_verify_stats *st;
	int ret;

	opts->strict = c->strict;
	opts->log_level = c->log_level;
	ret = uebpf_verify_insns(insns, cnt, opts, &res, &err);
	if (!res) {
		cli_errorf("verify", "%s: %s", what, err.msg);
		return false;
	}
	st = uebpf_verify_result_stats(res);
	if (c->json) {
		char *json;

		if (!uebpf_verify_result_json(res, &json, &err)) {
			printf("{\"program\":");
			cli_json_string(stdout, what);
			printf(",\"result\":%s}\n", json);
			free(json);
		}
	} else {
		if (c->log_level && uebpf_verify_result_log(res)[0])
			fputs(uebpf_verify_result_log(res), stdout);
		if (!ret)
			printf("%s: accepted (%s, %llu insns processed, %llu states, %llu pruned, "
			       "stack %u bytes, %.1f us)\n", what,
			       uebpf_prog_type_name(opts->prog_type) ? uebpf_prog_type_name(opts->prog_type) : "?",
			       (unsigned long long)st->insns_processed,
			       (unsigned long long)st->states_explored,
			       (unsigned long long)st->states_pruned, st->max_stack_depth,
			       st->time_ns / 1000.0);
		else
			printf("%s: %s", what, uebpf_verify_result_message(res));
	}
	uebpf_verify_result_destroy(res);
	return ret == 0;
}

static int verify_plain(struct verify_cli *c, const char *path)
{
	struct cli_program prog;
	struct uebpf_verify_opts opts = { .sz = sizeof(opts) };
	struct uebpf_error err;
	bool ok;

	if (cli_load_program_file(path, &prog, &err)) {
		cli_errorf("verify", "%s: %s", path, err.msg);
		return CLI_EXIT_FAIL;
	}
	opts.prog_type = c->prog_type ? c->prog_type : UEBPF_PROG_TYPE_RAW;
	opts.mem_size = c->mem_size_set ? c->mem_size : (prog.has_mem ? prog.mem_len : 0);
	opts.maps = c->maps;
	opts.nr_maps = c->nr_maps;
	ok = report(c, path, prog.insns, prog.insn_cnt, &opts);
	cli_program_free(&prog);
	return ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int verify_object(struct verify_cli *c, const char *path)
{
	struct uebpf_object_opts oopts = { .sz = sizeof(oopts) };
	struct uebpf_object *obj;
	struct uebpf_verify_map *maps = NULL, *inner = NULL;
	struct uebpf_error err;
	size_t nr_maps, found = 0;
	int rc = CLI_EXIT_OK;

	if (uebpf_object_open_file(path, &oopts, &obj, &err)) {
		cli_errorf("verify", "%s: %s", path, err.msg);
		return CLI_EXIT_FAIL;
	}
	nr_maps = uebpf_object_map_cnt(obj);
	maps = calloc(nr_maps ? nr_maps : 1, sizeof(*maps));
	inner = calloc(nr_maps ? nr_maps : 1, sizeof(*inner));
	if (!maps || !inner) {
		free(maps);
		free(inner);
		uebpf_object_destroy(obj);
		return CLI_EXIT_FAIL;
	}
	for (size_t i = 0; i < nr_maps; i++) {
		struct uebpf_map_spec spec = { .sz = sizeof(spec) };

		uebpf_object_map_spec(uebpf_object_map_at(obj, i), &spec);
		maps[i].name = uebpf_object_map_name(uebpf_object_map_at(obj, i));
		maps[i].type = spec.type;
		maps[i].key_size = spec.key_size;
		maps[i].value_size = spec.value_size;
		maps[i].max_entries = spec.max_entries;
		maps[i].map_flags = spec.map_flags;
		if (uebpf_object_map_inner(uebpf_object_map_at(obj, i))) {
			struct uebpf_map_spec in = { .sz = sizeof(in) };

			uebpf_object_map_spec(uebpf_object_map_inner(uebpf_object_map_at(obj, i)), &in);
			inner[i].name = in.name;
			inner[i].type = in.type;
			inner[i].key_size = in.key_size;
			inner[i].value_size = in.value_size;
			inner[i].max_entries = in.max_entries;
			inner[i].map_flags = in.map_flags;
			maps[i].inner_map = &inner[i];
		}
	}
	for (size_t i = 0; i < uebpf_object_prog_cnt(obj); i++) {
		struct uebpf_object_prog *p = uebpf_object_prog_at(obj, i);
		struct uebpf_verify_opts opts = { .sz = sizeof(opts) };
		const struct uebpf_line_info *li;
		struct uebpf_insn_line *lines = NULL;
		const struct bpf_insn *insns;
		size_t cnt, nr_lines;
		char what[512];

		if (c->prog_name && strcmp(c->prog_name, uebpf_object_prog_name(p)))
			continue;
		found++;
		snprintf(what, sizeof(what), "%s:%s", path, uebpf_object_prog_name(p));
		insns = uebpf_object_prog_insns(p, &cnt);
		opts.prog_type = c->prog_type ? c->prog_type : uebpf_object_prog_type(p);
		opts.expected_attach_type = uebpf_object_prog_expected_attach_type(p);
		if (!uebpf_prog_type_name(opts.prog_type)) {
			printf("%s: section '%s' has program type %u, which uebpf cannot verify; "
			       "use --type\n", what, uebpf_object_prog_section(p), opts.prog_type);
			rc = CLI_EXIT_FAIL;
			continue;
		}
		opts.mem_size = c->mem_size;
		opts.maps = maps;
		opts.nr_maps = nr_maps;
		nr_lines = uebpf_object_prog_line_info(p, &li);
		if (nr_lines && (lines = calloc(nr_lines, sizeof(*lines)))) {
			for (size_t k = 0; k < nr_lines; k++) {
				lines[k].insn_idx = (uint32_t)li[k].insn_idx;
				lines[k].line = li[k].line;
				lines[k].col = li[k].col;
				lines[k].file = li[k].file;
				lines[k].text = li[k].source;
			}
			opts.lines = lines;
			opts.nr_lines = nr_lines;
		}
		if (!report(c, what, insns, cnt, &opts))
			rc = CLI_EXIT_FAIL;
		free(lines);
	}
	if (c->prog_name && !found) {
		cli_errorf("verify", "%s has no program named '%s'", path, c->prog_name);
		rc = CLI_EXIT_FAIL;
	}
	free(maps);
	free(inner);
	uebpf_object_destroy(obj);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "log", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "strict", no_argument, NULL, 's' },
		{ "mem-size", required_argument, NULL, 'm' },
		{ "map", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct verify_cli c = { 0 };
	uint64_t v;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:t:l:jsm:M:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			c.prog_name = optarg;
			break;
		case 't':
			c.prog_type = uebpf_prog_type_from_name(optarg);
			if (!c.prog_type) {
				cli_errorf("verify", "unknown program type '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'l':
			if (!strcmp(optarg, "full"))
				c.log_level = UEBPF_VERIFY_LOG_FULL;
			else if (!strcmp(optarg, "brief"))
				c.log_level = UEBPF_VERIFY_LOG_BRIEF;
			else {
				cli_errorf("verify", "--log takes full or brief, not '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'j':
			c.json = true;
			break;
		case 's':
			c.strict = true;
			break;
		case 'm':
			if (!cli_parse_u64(optarg, &v)) {
				cli_errorf("verify", "--mem-size takes a byte count, not '%s'", optarg);
				return CLI_EXIT_USAGE;
			}
			c.mem_size = (size_t)v;
			c.mem_size_set = true;
			break;
		case 'M':
			if (c.nr_maps == MAX_CLI_MAPS || !parse_map(optarg, &c.maps[c.nr_maps])) {
				cli_errorf("verify", "--map takes TYPE:KEY:VALUE:ENTRIES[:NAME]");
				return CLI_EXIT_USAGE;
			}
			c.nr_maps++;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		default:
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (cli_file_is_elf(argv[optind]))
		return verify_object(&c, argv[optind]);
	return verify_plain(&c, argv[optind]);
}
