/* SPDX-License-Identifier: MIT */
/* `uebpf map list|dump|lookup|update|delete`: reads and changes maps that
 * another process pinned (uebpf_map_open on the pin dir), as bpftool does
 * with bpffs pins. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "uebpf/map.h"

struct map_args {
	const char *pin_dir;
	const char *verb;
	const char *name;
	const char *key_hex;
	const char *value_hex;
	uint64_t flags;
	bool json;
	bool all;
};

static void map_usage(FILE *out)
{
	fprintf(out,
		"usage: uebpf map list   [--pin-dir DIR] [--json]\n"
		"       uebpf map dump   [--pin-dir DIR] NAME [--all] [--json]\n"
		"       uebpf map lookup [--pin-dir DIR] NAME [KEYHEX] [--json]\n"
		"       uebpf map update [--pin-dir DIR] NAME [KEYHEX] VALUEHEX [--flags any|noexist|exist]\n"
		"       uebpf map delete [--pin-dir DIR] NAME KEYHEX\n"
		"Works on the maps pinned in DIR (default $UEBPF_PIN_DIR, else %s), e.g. by\n"
		"`uebpf test-run OBJ --pin-dir DIR` in another shell. Keys and values are hex\n"
		"bytes in memory order (\"01 00 00 00\" or 01000000). Maps without keys (queue,\n"
		"stack, bloom_filter) take no KEYHEX: lookup peeks (a bloom filter tests the\n"
		"VALUEHEX given), update pushes. Per-CPU maps take one value for every CPU slot\n"
		"or a single value copied to all of them.\n",
		CLI_DEFAULT_PIN_DIR);
}

const char *cli_default_pin_dir(void)
{
	const char *env = getenv("UEBPF_PIN_DIR");

	return env && *env ? env : CLI_DEFAULT_PIN_DIR;
}

static bool parse_flags(const char *text, uint64_t *flags)
{
	if (strcmp(text, "any") == 0)
		*flags = BPF_ANY;
	else if (strcmp(text, "noexist") == 0)
		*flags = BPF_NOEXIST;
	else if (strcmp(text, "exist") == 0)
		*flags = BPF_EXIST;
	else
		return false;
	return true;
}

/* --------------------------------------------------------------- list */

struct list_state {
	bool json;
	size_t n;
};

static int list_one(void *ctx, const struct uebpf_map_info *info)
{
	struct list_state *st = ctx;
	const char *type = uebpf_map_type_name(info->type);

	if (st->json) {
		fputs(st->n ? ",{\"name\":" : "{\"name\":", stdout);
		cli_json_string(stdout, info->name);
		fputs(",\"type\":", stdout);
		cli_json_string(stdout, type ? type : "unknown");
		printf(",\"key_size\":%u,\"value_size\":%u,\"max_entries\":%u,\"flags\":%u,"
		       "\"frozen\":%s}", info->key_size, info->value_size, info->max_entries,
		       info->map_flags, info->frozen ? "true" : "false");
	} else {
		printf("%-24s %-16s key %-4u value %-6u max_entries %u%s\n", info->name,
		       type ? type : "unknown", info->key_size, info->value_size,
		       info->max_entries, info->frozen ? " frozen" : "");
	}
	st->n++;
	return 0;
}

static int map_list(const struct map_args *a)
{
	struct list_state st = { .json = a->json };
	struct uebpf_error err = { 0 };
	int ret;

	if (a->json)
		fputs("[", stdout);
	ret = uebpf_map_list_pinned(a->pin_dir, list_one, &st, &err);
	if (a->json)
		fputs("]\n", stdout);
	if (ret) {
		cli_errorf("map", "%s", err.msg);
		return CLI_EXIT_FAIL;
	}
	if (!a->json && !st.n)
		printf("no maps in %s\n", a->pin_dir);
	return CLI_EXIT_OK;
}

/* ---------------------------------------------------- keys and values */

/* Parses hex that must be exactly `want` bytes long; `what` names it. */
static int parse_sized(const char *hex, size_t want, const char *what,
		       const char *map_name, unsigned char **out)
{
	struct uebpf_error err = { 0 };
	size_t len;

	if (cli_parse_hex(hex, out, &len, &err)) {
		cli_errorf("map", "%s: %s", what, err.msg);
		return -EINVAL;
	}
	if (len != want) {
		cli_errorf("map", "%s is %zu byte%s but map '%s' takes %zu", what, len,
			   len == 1 ? "" : "s", map_name, want);
		free(*out);
		*out = NULL;
		return -EINVAL;
	}
	return 0;
}

/* A value for an update: per-CPU maps take the host layout (one value per
 * slot, each padded to 8) or one value, copied to every slot. */
static int parse_value(struct uebpf_map *map, const char *hex, unsigned char **out)
{
	struct uebpf_error err = { 0 };
	size_t host = uebpf_map_host_value_size(map), vsize = uebpf_map_value_size(map), len;
	size_t stride = (vsize + 7) & ~(size_t)7;
	unsigned char *bytes, *full;

	if (cli_parse_hex(hex, &bytes, &len, &err)) {
		cli_errorf("map", "value: %s", err.msg);
		return -EINVAL;
	}
	if (len == host) {
		*out = bytes;
		return 0;
	}
	if (len != vsize) {
		cli_errorf("map", "value is %zu bytes but map '%s' takes %zu%s", len,
			   uebpf_map_name(map), vsize, host != vsize ?
			   " (one value for all CPU slots) or one per slot padded to 8" : "");
		free(bytes);
		return -EINVAL;
	}
	full = calloc(1, host);
	if (!full) {
		free(bytes);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < uebpf_map_nr_slots(map); i++)
		memcpy(full + i * stride, bytes, vsize);
	free(bytes);
	*out = full;
	return 0;
}

static bool keyless(const struct uebpf_map *map)
{
	return uebpf_map_key_size(map) == 0;
}

/* ---------------------------------------------------------- the verbs */

/* A bloom filter answers "maybe present" (0) or "certainly absent". */
static int bloom_lookup(struct uebpf_map *map, const struct map_args *a)
{
	struct uebpf_error err = { 0 };
	unsigned char *value;
	int ret;

	if (!a->key_hex || a->value_hex) {
		cli_errorf("map", "lookup in bloom filter '%s' takes the VALUEHEX to test",
			   uebpf_map_name(map));
		return CLI_EXIT_USAGE;
	}
	if (parse_sized(a->key_hex, uebpf_map_value_size(map), "value", uebpf_map_name(map),
			&value))
		return CLI_EXIT_FAIL;
	ret = uebpf_map_peek(map, value, &err);
	free(value);
	if (ret && ret != -ENOENT) {
		cli_errorf("map", "%s", err.msg);
		return CLI_EXIT_FAIL;
	}
	if (a->json)
		printf("{\"present\":%s}\n", ret ? "false" : "true");
	else
		printf("%s\n", ret ? "absent" : "maybe present");
	return ret ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static int map_lookup(struct uebpf_map *map, const struct map_args *a)
{
	struct uebpf_error err = { 0 };
	size_t host = uebpf_map_host_value_size(map);
	unsigned char *key = NULL, *value;
	int ret;

	if (uebpf_map_type(map) == BPF_MAP_TYPE_BLOOM_FILTER)
		return bloom_lookup(map, a);
	if (!keyless(map) && !a->key_hex) {
		cli_errorf("map", "lookup in map '%s' needs KEYHEX (%u bytes)", uebpf_map_name(map),
			   uebpf_map_key_size(map));
		return CLI_EXIT_USAGE;
	}
	if (!keyless(map) &&
	    parse_sized(a->key_hex, uebpf_map_key_size(map), "key", uebpf_map_name(map), &key))
		return CLI_EXIT_FAIL;
	value = calloc(1, host ? host : 1);
	if (!value) {
		free(key);
		return CLI_EXIT_FAIL;
	}
	ret = keyless(map) ? uebpf_map_peek(map, value, &err)
			   : uebpf_map_lookup(map, key, value, &err);
	if (ret) {
		cli_errorf("map", "%s", err.msg[0] ? err.msg : strerror(-ret));
		free(key);
		free(value);
		return CLI_EXIT_FAIL;
	}
	if (a->json) {
		fputs("{\"key\":", stdout);
		if (key) {
			fputc('"', stdout);
			cli_print_hex(stdout, key, uebpf_map_key_size(map), false);
			fputc('"', stdout);
		} else {
			fputs("null", stdout);
		}
		fputs(",\"value\":\"", stdout);
		cli_print_hex(stdout, value, host, false);
		fputs("\"}\n", stdout);
	} else {
		cli_print_hex(stdout, value, host, true);
		fputc('\n', stdout);
	}
	free(key);
	free(value);
	return CLI_EXIT_OK;
}

static int map_update(struct uebpf_map *map, const struct map_args *a)
{
	struct uebpf_error err = { 0 };
	const char *value_hex = keyless(map) ? a->key_hex : a->value_hex;
	unsigned char *key = NULL, *value = NULL;
	int ret;

	if (!value_hex || (keyless(map) && a->value_hex)) {
		cli_errorf("map", keyless(map) ? "update of map '%s' (no keys) takes only VALUEHEX"
					       : "update of map '%s' needs KEYHEX and VALUEHEX",
			   uebpf_map_name(map));
		return CLI_EXIT_USAGE;
	}
	if (!keyless(map) &&
	    parse_sized(a->key_hex, uebpf_map_key_size(map), "key", uebpf_map_name(map), &key))
		return CLI_EXIT_FAIL;
	if (parse_value(map, value_hex, &value)) {
		free(key);
		return CLI_EXIT_FAIL;
	}
	ret = keyless(map) ? uebpf_map_push(map, value, a->flags, &err)
			   : uebpf_map_update(map, key, value, a->flags, &err);
	free(key);
	free(value);
	if (ret) {
		cli_errorf("map", "%s", err.msg[0] ? err.msg : strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int map_delete(struct uebpf_map *map, const struct map_args *a)
{
	struct uebpf_error err = { 0 };
	unsigned char *key = NULL;
	int ret;

	if (!a->key_hex || a->value_hex) {
		cli_errorf("map", "delete takes NAME and KEYHEX");
		return CLI_EXIT_USAGE;
	}
	if (parse_sized(a->key_hex, uebpf_map_key_size(map), "key", uebpf_map_name(map), &key))
		return CLI_EXIT_FAIL;
	ret = uebpf_map_delete(map, key, &err);
	free(key);
	if (ret) {
		cli_errorf("map", "%s", err.msg[0] ? err.msg : strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

static int map_dump(struct uebpf_map *map, const struct map_args *a)
{
	struct uebpf_error err = { 0 };
	int ret;

	if (a->key_hex) {
		cli_errorf("map", "dump takes only NAME");
		return CLI_EXIT_USAGE;
	}
	ret = cli_map_dump(stdout, map, NULL, a->json, a->all, &err);
	if (a->json)
		fputc('\n', stdout);
	if (ret) {
		cli_errorf("map", "%s", err.msg[0] ? err.msg : strerror(-ret));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int cmd_map(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pin-dir", required_argument, NULL, 'p' },
		{ "flags", required_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct map_args a = { .pin_dir = cli_default_pin_dir(), .flags = BPF_ANY };
	struct uebpf_error err = { 0 };
	struct uebpf_map *map;
	int c, ret, nargs;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': a.pin_dir = optarg; break;
		case 'j': a.json = true; break;
		case 'a': a.all = true; break;
		case 'f':
			if (!parse_flags(optarg, &a.flags)) {
				cli_errorf("map", "bad --flags '%s': use any, noexist or exist", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'h': map_usage(stdout); return CLI_EXIT_OK;
		default: map_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	nargs = argc - optind;
	if (nargs < 1) {
		cli_errorf("map", "expected a verb: list, dump, lookup, update or delete");
		map_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	a.verb = argv[optind];
	if (strcmp(a.verb, "list") == 0) {
		if (nargs != 1) {
			cli_errorf("map", "list takes no arguments");
			return CLI_EXIT_USAGE;
		}
		return map_list(&a);
	}
	if (strcmp(a.verb, "dump") && strcmp(a.verb, "lookup") && strcmp(a.verb, "update") &&
	    strcmp(a.verb, "delete")) {
		cli_errorf("map", "unknown verb '%s': use list, dump, lookup, update or delete",
			   a.verb);
		map_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (nargs < 2 || nargs > 4) {
		cli_errorf("map", "%s needs a map NAME%s", a.verb,
			   nargs > 4 ? " and at most KEYHEX VALUEHEX" : "");
		map_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	a.name = argv[optind + 1];
	a.key_hex = nargs > 2 ? argv[optind + 2] : NULL;
	a.value_hex = nargs > 3 ? argv[optind + 3] : NULL;

	ret = uebpf_map_open(a.pin_dir, a.name, &map, &err);
	if (ret) {
		cli_errorf("map", "%s%s", err.msg,
			   ret == -ENOENT ? " (see `uebpf map list --pin-dir DIR`)" : "");
		return CLI_EXIT_FAIL;
	}
	if (strcmp(a.verb, "dump") == 0)
		ret = map_dump(map, &a);
	else if (strcmp(a.verb, "lookup") == 0)
		ret = map_lookup(map, &a);
	else if (strcmp(a.verb, "update") == 0)
		ret = map_update(map, &a);
	else
		ret = map_delete(map, &a);
	uebpf_map_destroy(map);
	return ret;
}
