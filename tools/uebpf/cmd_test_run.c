/* SPDX-License-Identifier: MIT */
/* `uebpf test-run OBJ`: runs one program on given input as the kernel's
 * BPF_PROG_TEST_RUN does (uebpf_prog_test_run) and prints the return value,
 * the time per run, the output data, bpf_printk output and, on request,
 * every map afterwards. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "cli.h"
#include "uebpf/helpers.h"
#include "uebpf/map.h"
#include "uebpf/object.h"
#include "uebpf/test_run.h"
#include "uebpf/verifier.h"

/* Packets grow by at most the frame's tailroom; anything else is smaller. */
#define DATA_OUT_CAP (64u * 1024)
#define CTX_OUT_CAP 4096u
/* bpf_printk output kept for printing; more is counted, not kept. */
#define TRACE_CAP (256u * 1024)
#define MAX_SET_MAPS 64

struct test_run_args {
	struct cli_load_opts load;
	const char *type_name;
	const char *data_file, *data_hex;
	const char *data_out_file;
	const char *ctx_file, *ctx_hex;
	const char *ctx_out_file;
	const char *set_maps[MAX_SET_MAPS];
	size_t nr_set_maps;
	uint64_t repeat;
	uint64_t hold_seconds;
	enum uebpf_engine engine;
	bool checked;
	bool unverified;   /* run a program the verifier refused, with checks */
	bool dump_maps;
	bool json;
};

struct trace_buf {
	char *text;
	size_t len, cap;
	size_t dropped;
};

static void test_run_usage(FILE *out)
{
	fprintf(out,
		"usage: uebpf test-run OBJ [--prog NAME] [--type TYPE]\n"
		"                      [--data-in F | --data HEX] [--data-out F]\n"
		"                      [--ctx-in F | --ctx HEX] [--ctx-out F]\n"
		"                      [--repeat N] [--engine interp|jit] [--checked] [--unverified]\n"
		"                      [--set-map NAME:KEYHEX:VALUEHEX]... [--dump-maps]\n"
		"                      [--pin-dir DIR [--hold SECONDS]] [--json]\n"
		"Runs one program of OBJ (an ELF object, or raw .bin/.s/.data instructions)\n"
		"on the input the way the kernel's BPF_PROG_TEST_RUN does: xdp and tc programs\n"
		"get the packet, socket filters the packet from its network header, raw\n"
		"programs the memory. Prints the return value, ns per run, the output data and\n"
		"bpf_printk output; --dump-maps also every map afterwards. The verifier checks\n"
		"the program first: a refused program does not run unless --unverified is given,\n"
		"and then only with runtime checks. See docs/test-run.md.\n");
}

/* ------------------------------------------------------------- inputs */

static int read_bytes(const char *file, const char *hex, const char *what,
		      unsigned char **data, size_t *len)
{
	struct uebpf_error err = { 0 };

	*data = NULL;
	*len = 0;
	if (file) {
		if (cli_read_file(file, data, len, &err)) {
			fprintf(stderr, "%s: %s\n", file, err.msg);
			return -1;
		}
	} else if (hex) {
		if (cli_parse_hex(hex, data, len, &err)) {
			cli_errorf("test-run", "%s: %s", what, err.msg);
			return -1;
		}
	}
	return 0;
}

/* NAME:KEYHEX:VALUEHEX (maps without keys: NAME::VALUEHEX). */
static int set_map(struct uebpf_object *obj, const char *spec)
{
	struct uebpf_error err = { 0 };
	const char *c1 = strchr(spec, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	unsigned char *key = NULL, *value = NULL;
	struct uebpf_object_map *om;
	struct uebpf_map *map;
	size_t klen = 0, vlen = 0;
	char *name, *key_hex;
	int ret = -1;

	if (!c1 || !c2) {
		cli_errorf("test-run", "--set-map '%s': expected NAME:KEYHEX:VALUEHEX", spec);
		return -1;
	}
	name = strndup(spec, (size_t)(c1 - spec));
	key_hex = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
	if (!name || !key_hex)
		goto out;
	om = obj ? uebpf_object_find_map(obj, name) : NULL;
	map = om ? uebpf_object_map_get(om) : NULL;
	if (!map) {
		cli_errorf("test-run", "--set-map: the object has no map '%s'", name);
		goto out;
	}
	if (cli_parse_hex(key_hex, &key, &klen, &err) || cli_parse_hex(c2 + 1, &value, &vlen, &err)) {
		cli_errorf("test-run", "--set-map %s: %s", name, err.msg);
		goto out;
	}
	if (klen != uebpf_map_key_size(map) || vlen != uebpf_map_host_value_size(map)) {
		cli_errorf("test-run", "--set-map %s: key is %zu bytes and value %zu, but the map takes "
			   "%u and %zu", name, klen, vlen, uebpf_map_key_size(map),
			   uebpf_map_host_value_size(map));
		goto out;
	}
	ret = klen ? uebpf_map_update(map, key, value, BPF_ANY, &err)
		   : uebpf_map_push(map, value, BPF_ANY, &err);
	if (ret)
		cli_errorf("test-run", "--set-map %s: %s", name, err.msg);
out:
	free(name);
	free(key_hex);
	free(key);
	free(value);
	return ret ? -1 : 0;
}

/* ------------------------------------------------------------ tracing */

static void trace_collect(void *ctx, const char *msg, size_t len)
{
	struct trace_buf *t = ctx;

	if (t->len + len > TRACE_CAP) {
		t->dropped++;
		return;
	}
	if (t->len + len + 1 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 4096;
		char *p;

		while (cap < t->len + len + 1)
			cap *= 2;
		p = realloc(t->text, cap);
		if (!p) {
			t->dropped++;
			return;
		}
		t->text = p;
		t->cap = cap;
	}
	memcpy(t->text + t->len, msg, len);
	t->len += len;
	t->text[t->len] = '\0';
}

/* ------------------------------------------------------------ output */

static const char *retval_name(uint32_t prog_type, uint32_t retval)
{
	static const char *const xdp[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					   "XDP_REDIRECT" };
	static const char *const tc[] = { "TC_ACT_OK", "TC_ACT_RECLASSIFY", "TC_ACT_SHOT",
					  "TC_ACT_PIPE", "TC_ACT_STOLEN", "TC_ACT_QUEUED",
					  "TC_ACT_REPEAT", "TC_ACT_REDIRECT", "TC_ACT_TRAP" };

	if (prog_type == BPF_PROG_TYPE_XDP && retval < sizeof(xdp) / sizeof(xdp[0]))
		return xdp[retval];
	if ((prog_type == BPF_PROG_TYPE_SCHED_CLS || prog_type == BPF_PROG_TYPE_SCHED_ACT)) {
		if (retval == UINT32_MAX)
			return "TC_ACT_UNSPEC";
		if (retval < sizeof(tc) / sizeof(tc[0]))
			return tc[retval];
	}
	return NULL;
}

static void hexdump(FILE *out, const unsigned char *data, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		fprintf(out, "  %04zx  ", off);
		cli_print_hex(out, data + off, len - off < 16 ? len - off : 16, true);
		fputc('\n', out);
	}
}

static void print_trace_text(const struct trace_buf *t)
{
	const char *line = t->text;

	if (!t->len && !t->dropped)
		return;
	printf("trace:\n");
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		int n = nl ? (int)(nl - line) : (int)strlen(line);

		printf("  %.*s\n", n, line);
		line = nl ? nl + 1 : NULL;
	}
	if (t->dropped)
		printf("  (%zu more messages not kept)\n", t->dropped);
}

static void print_trace_json(const struct trace_buf *t)
{
	const char *line = t->text;
	bool first = true;

	fputs(",\"trace\":[", stdout);
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		char *msg = strndup(line, nl ? (size_t)(nl - line) : strlen(line));

		if (msg) {
			fputs(first ? "" : ",", stdout);
			cli_json_string(stdout, msg);
			first = false;
		}
		free(msg);
		line = nl ? nl + 1 : NULL;
	}
	fputc(']', stdout);
	if (t->dropped)
		printf(",\"trace_dropped\":%zu", t->dropped);
}

static int dump_maps(const struct cli_loaded_prog *lp, bool json)
{
	const struct btf *btf;
	size_t nr;
	int failed = 0;

	if (!lp->obj) {
		if (json)
			fputs(",\"maps\":[]", stdout);
		return 0;
	}
	btf = uebpf_object_btf(lp->obj);
	nr = uebpf_object_map_cnt(lp->obj);
	fputs(json ? ",\"maps\":[" : "maps:\n", stdout);
	for (size_t i = 0; i < nr; i++) {
		struct uebpf_object_map *om = uebpf_object_map_at(lp->obj, i);
		struct uebpf_map *map = uebpf_object_map_get(om);
		struct cli_map_types types = {
			.btf = btf,
			.obj = lp->obj,
			.key_type_id = uebpf_object_map_btf_key_type_id(om),
			.value_type_id = uebpf_object_map_btf_value_type_id(om),
		};
		struct uebpf_error err = { 0 };

		if (!map)
			continue;
		if (json && i)
			fputc(',', stdout);
		if (cli_map_dump(stdout, map, &types, json, false, &err)) {
			fflush(stdout);
			cli_errorf("test-run", "dumping map '%s': %s", uebpf_map_name(map), err.msg);
			failed = 1;
		}
	}
	if (json)
		fputc(']', stdout);
	return failed;
}

static void print_results_text(const struct test_run_args *a, const struct cli_loaded_prog *lp,
			       const struct uebpf_test_run_opts *tr)
{
	const char *type = uebpf_prog_type_name(lp->prog_type);
	const char *rname = retval_name(lp->prog_type, tr->retval);

	printf("program %s (%s), %s, engine %s\n", lp->name, type ? type : "?",
	       lp->verified && !a->checked ? "verified, no runtime checks" : "runtime checks",
	       cli_engine_name(a->engine));
	if (rname)
		printf("retval %" PRIu32 " (%s)\n", tr->retval, rname);
	else
		printf("retval %" PRIu32 " (0x%" PRIx32 ")\n", tr->retval, tr->retval);
	if (tr->redirected)
		printf("redirect to ifindex %" PRIu32 "\n", tr->redirect_ifindex);
	printf("duration %" PRIu64 " ns per run (%" PRIu64 " run%s)\n", tr->duration_ns,
	       a->repeat ? a->repeat : 1, a->repeat > 1 ? "s" : "");
	if (lp->prog_type == BPF_PROG_TYPE_SOCKET_FILTER)
		printf("note: as in the kernel's test runs, the socket filter saw the packet from "
		       "its network header (skb->len %zu, ld_abs offset 0 = first byte after the "
		       "Ethernet header)\n", tr->data_size_out >= 14 ? tr->data_size_out - 14 : 0);
	if (a->data_out_file)
		printf("data out: %zu bytes written to %s\n", tr->data_size_out, a->data_out_file);
	else if (tr->data_size_out) {
		printf("data out: %zu bytes\n", tr->data_size_out);
		hexdump(stdout, tr->data_out, tr->data_size_out);
	}
	if (tr->ctx_out && !a->ctx_out_file && tr->ctx_size_out) {
		printf("ctx out: %zu bytes\n", tr->ctx_size_out);
		hexdump(stdout, tr->ctx_out, tr->ctx_size_out);
	}
}

static void print_results_json(const struct test_run_args *a, const struct cli_loaded_prog *lp,
			       const struct uebpf_test_run_opts *tr, const char *verify_msg)
{
	const char *type = uebpf_prog_type_name(lp->prog_type);

	fputs("{\"program\":", stdout);
	cli_json_string(stdout, lp->name);
	fputs(",\"type\":", stdout);
	cli_json_string(stdout, type ? type : "unknown");
	printf(",\"verified\":%s,\"checked\":%s,\"engine\":\"%s\",\"retval\":%" PRIu32
	       ",\"r0\":%" PRIu64 ",\"duration_ns\":%" PRIu64 ",\"repeat\":%" PRIu64,
	       lp->verified ? "true" : "false", lp->verified && !a->checked ? "false" : "true",
	       cli_engine_name(a->engine), tr->retval, tr->r0, tr->duration_ns,
	       a->repeat ? a->repeat : 1);
	if (!lp->verified) {
		fputs(",\"verifier\":", stdout);
		cli_json_string(stdout, verify_msg);
	}
	if (tr->redirected)
		printf(",\"redirect_ifindex\":%" PRIu32, tr->redirect_ifindex);
	printf(",\"data_size_out\":%zu", tr->data_size_out);
	if (!a->data_out_file) {
		fputs(",\"data_out\":\"", stdout);
		cli_print_hex(stdout, tr->data_out, tr->data_size_out, false);
		fputc('"', stdout);
	}
	if (tr->ctx_out && !a->ctx_out_file) {
		fputs(",\"ctx_out\":\"", stdout);
		cli_print_hex(stdout, tr->ctx_out, tr->ctx_size_out, false);
		fputc('"', stdout);
	}
}

/* ----------------------------------------------------------- the run */

static bool packet_type(uint32_t type)
{
	return type == BPF_PROG_TYPE_XDP || type == BPF_PROG_TYPE_SCHED_CLS ||
	       type == BPF_PROG_TYPE_SCHED_ACT || type == BPF_PROG_TYPE_SOCKET_FILTER;
}

static int exit_code_for(int ret)
{
	return ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
}

static int run_and_print(const struct test_run_args *a, struct cli_loaded_prog *lp)
{
	struct uebpf_error err = { 0 }, verify_err = { 0 };
	struct trace_buf trace = { 0 };
	struct uebpf_env_opts env_opts = { .sz = sizeof(env_opts), .trace_fn = trace_collect,
					   .trace_ctx = &trace };
	struct uebpf_test_run_opts tr = { .sz = sizeof(tr) };
	unsigned char *data = NULL, *ctx = NULL, *data_out = NULL, *ctx_out = NULL;
	size_t data_len, ctx_len;
	struct uebpf_env *env = NULL;
	int ret, rc = CLI_EXIT_FAIL;

	if (read_bytes(a->data_file, a->data_hex, "--data", &data, &data_len) ||
	    read_bytes(a->ctx_file, a->ctx_hex, "--ctx", &ctx, &ctx_len))
		goto out;
	for (size_t i = 0; i < a->nr_set_maps; i++)
		if (set_map(lp->obj, a->set_maps[i]))
			goto out;

	ret = cli_verify_loaded(lp, data_len, &verify_err);
	if (ret && !a->unverified) {
		fprintf(stderr, "uebpf test-run: the verifier refused '%s': %s\n"
				"(to run it anyway, with runtime checks on every access, add --unverified)\n",
			lp->name, verify_err.msg);
		goto out;
	}
	if (ret && !a->json)
		fprintf(stderr, "uebpf test-run: the verifier refused '%s'; running it with runtime "
				"checks as --unverified asks: %s\n", lp->name, verify_err.msg);
	ret = uebpf_env_create(&env_opts, &env, &err);
	if (ret) {
		cli_errorf("test-run", "%s", err.msg);
		goto out;
	}
	data_out = calloc(1, DATA_OUT_CAP);
	ctx_out = calloc(1, CTX_OUT_CAP);
	if (!data_out || !ctx_out) {
		cli_errorf("test-run", "out of memory");
		goto out;
	}
	tr.prog_type = lp->prog_type;
	tr.expected_attach_type = lp->oprog ? uebpf_object_prog_expected_attach_type(lp->oprog) : 0;
	tr.data_in = data;
	tr.data_size_in = data_len;
	tr.data_out = data_out;
	tr.data_size_out = DATA_OUT_CAP;
	tr.ctx_in = ctx;
	tr.ctx_size_in = ctx ? ctx_len : 0;
	/* Only packet contexts change; the others are read-only input. */
	if (a->ctx_out_file || (ctx && packet_type(lp->prog_type))) {
		tr.ctx_out = ctx_out;
		tr.ctx_size_out = CTX_OUT_CAP;
	}
	tr.repeat = (uint32_t)a->repeat;
	tr.engine = a->engine;
	tr.run_flags = lp->verified && !a->checked ? UEBPF_RUN_UNCHECKED : 0;
	tr.env = env;
	uebpf_error_clear(&err);
	ret = uebpf_prog_test_run(lp->prog, &tr, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", a->load.path, err.msg);
		rc = exit_code_for(ret);
		goto out;
	}
	if (a->data_out_file && cli_write_file(a->data_out_file, data_out, tr.data_size_out, &err)) {
		fprintf(stderr, "%s: %s\n", a->data_out_file, err.msg);
		goto out;
	}
	if (a->ctx_out_file && cli_write_file(a->ctx_out_file, ctx_out, tr.ctx_size_out, &err)) {
		fprintf(stderr, "%s: %s\n", a->ctx_out_file, err.msg);
		goto out;
	}
	rc = CLI_EXIT_OK;
	if (a->json) {
		print_results_json(a, lp, &tr, verify_err.msg);
		print_trace_json(&trace);
		if (a->dump_maps && dump_maps(lp, true))
			rc = CLI_EXIT_FAIL;
		fputs("}\n", stdout);
	} else {
		print_results_text(a, lp, &tr);
		print_trace_text(&trace);
		if (a->dump_maps && dump_maps(lp, false))
			rc = CLI_EXIT_FAIL;
	}
	fflush(stdout);
	if (a->hold_seconds && a->load.pin_dir) {
		fprintf(stderr, "uebpf test-run: maps pinned in %s; holding for %" PRIu64 " s\n",
			a->load.pin_dir, a->hold_seconds);
		for (unsigned left = (unsigned)a->hold_seconds; left > 0;)
			left = sleep(left);
	}
out:
	uebpf_env_destroy(env);
	free(trace.text);
	free(data);
	free(ctx);
	free(data_out);
	free(ctx_out);
	return rc;
}

int cmd_test_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "prog", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "data-in", required_argument, NULL, 'd' },
		{ "data", required_argument, NULL, 'D' },
		{ "data-out", required_argument, NULL, 'o' },
		{ "ctx-in", required_argument, NULL, 'c' },
		{ "ctx", required_argument, NULL, 'C' },
		{ "ctx-out", required_argument, NULL, 'O' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "engine", required_argument, NULL, 'e' },
		{ "checked", no_argument, NULL, 'k' },
		{ "unverified", no_argument, NULL, 'U' },
		{ "set-map", required_argument, NULL, 's' },
		{ "dump-maps", no_argument, NULL, 'm' },
		{ "pin-dir", required_argument, NULL, 'P' },
		{ "hold", required_argument, NULL, 'H' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct test_run_args a = { .engine = UEBPF_ENGINE_DEFAULT };
	struct uebpf_error err = { 0 };
	struct cli_loaded_prog lp;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a.load.prog_name = optarg; break;
		case 't':
			a.type_name = optarg;
			a.load.prog_type = uebpf_prog_type_from_name(optarg);
			if (!a.load.prog_type) {
				cli_errorf("test-run", "unknown --type '%s': use xdp, tc, socket_filter, "
					   "raw, kprobe, tracepoint, raw_tracepoint, perf_event or tracing",
					   optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'd': a.data_file = optarg; break;
		case 'D': a.data_hex = optarg; break;
		case 'o': a.data_out_file = optarg; break;
		case 'c': a.ctx_file = optarg; break;
		case 'C': a.ctx_hex = optarg; break;
		case 'O': a.ctx_out_file = optarg; break;
		case 'r':
			if (!cli_parse_u64(optarg, &a.repeat) || a.repeat == 0 || a.repeat > UINT32_MAX) {
				cli_errorf("test-run", "bad --repeat '%s': give a count from 1 to %u",
					   optarg, UINT32_MAX);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'e':
			if (!cli_parse_engine(optarg, &a.engine)) {
				cli_errorf("test-run", "unknown --engine '%s': use interp or jit", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'k': a.checked = true; break;
		case 'U': a.unverified = true; break;
		case 's':
			if (a.nr_set_maps == MAX_SET_MAPS) {
				cli_errorf("test-run", "at most %d --set-map options", MAX_SET_MAPS);
				return CLI_EXIT_USAGE;
			}
			a.set_maps[a.nr_set_maps++] = optarg;
			break;
		case 'm': a.dump_maps = true; break;
		case 'P': a.load.pin_dir = optarg; break;
		case 'H':
			if (!cli_parse_u64(optarg, &a.hold_seconds) || a.hold_seconds > 86400) {
				cli_errorf("test-run", "bad --hold '%s': give seconds, at most 86400", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'j': a.json = true; break;
		case 'h': test_run_usage(stdout); return CLI_EXIT_OK;
		default: test_run_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_errorf("test-run", "expected exactly one program file");
		test_run_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if ((a.data_file && a.data_hex) || (a.ctx_file && a.ctx_hex)) {
		cli_errorf("test-run", "give the input either as a file or as hex, not both");
		return CLI_EXIT_USAGE;
	}
	if (a.hold_seconds && !a.load.pin_dir) {
		cli_errorf("test-run", "--hold keeps pinned maps visible: it needs --pin-dir");
		return CLI_EXIT_USAGE;
	}
	a.load.path = argv[optind];

	ret = cli_load_for_run(&a.load, &lp, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", a.load.path, err.msg);
		return exit_code_for(ret);
	}
	ret = run_and_print(&a, &lp);
	cli_loaded_prog_free(&lp);
	return ret;
}
