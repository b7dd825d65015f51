/* SPDX-License-Identifier: MIT */
/* `uebpf plugin`: the plugin protocol of bpf_conformance_runner
 * (github.com/Alan-Jowett/bpf_conformance), as ubpf's plugin speaks it:
 * argv[1] is the input memory as hex bytes (may be empty or absent), later
 * arguments are plugin options; the program comes as hex bytes on stdin (or
 * via --program HEX). On success the plugin prints r0 in hex without a
 * prefix and exits 0; on failure it prints the reason on stdout (the
 * runner compares it with a vector's expected error) and on stderr, and
 * exits non-zero. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void plugin_usage(FILE *out)
{
	fprintf(out,
		"usage: uebpf plugin [MEMHEX] [--program HEX] [--jit | --interpret]\n"
		"       (also when run as `uebpf_plugin`)\n"
		"Reads the program as hex bytes from stdin (\"b7 00 00 00 01 00 00 00 95 ...\"),\n"
		"runs it with MEMHEX as input memory and helper 5 of the conformance suite,\n"
		"and prints r0 in hex (e.g. `1`). For bpf_conformance_runner --plugin_path.\n");
}

static int plugin_fail(int status, const char *what, const char *msg)
{
	printf("%s: %s\n", what, msg);
	fflush(stdout);
	fprintf(stderr, "uebpf plugin: %s: %s\n", what, msg);
	return status;
}

int cmd_plugin(int argc, char **argv)
{
	struct uebpf_error err = { 0 };
	struct uebpf_helper_set *helpers = NULL;
	struct uebpf_prog *prog = NULL;
	enum uebpf_engine engine = UEBPF_ENGINE_INTERP;
	const char *mem_hex = NULL, *program_hex = NULL;
	unsigned char *mem = NULL, *code = NULL, *stdin_text = NULL;
	size_t mem_len = 0, code_len = 0, stdin_len;
	uint64_t retval;
	int ret, status = CLI_EXIT_FAIL;

	/* bpf_conformance passes memory and options as fixed positions, either
	 * possibly empty; an empty argument means "none". */
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (arg[0] == '\0')
			continue;
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			plugin_usage(stdout);
			return CLI_EXIT_OK;
		} else if (strcmp(arg, "--jit") == 0) {
			engine = UEBPF_ENGINE_JIT;
		} else if (strcmp(arg, "--interpret") == 0) {
			engine = UEBPF_ENGINE_INTERP;
		} else if (strcmp(arg, "--program") == 0 && i + 1 < argc) {
			program_hex = argv[++i];
		} else if (strncmp(arg, "--", 2) != 0 && !mem_hex) {
			mem_hex = arg;
		} else {
			plugin_usage(stderr);
			return plugin_fail(CLI_EXIT_USAGE, "invalid argument", arg);
		}
	}

	if (mem_hex && cli_parse_hex(mem_hex, &mem, &mem_len, &err))
		return plugin_fail(CLI_EXIT_FAIL, "input memory", err.msg);
	if (!program_hex) {
		if (cli_read_stream(stdin, "stdin", &stdin_text, &stdin_len, &err)) {
			status = plugin_fail(CLI_EXIT_FAIL, "program", err.msg);
			goto out;
		}
		program_hex = (const char *)stdin_text;
	}
	if (cli_parse_hex(program_hex, &code, &code_len, &err)) {
		status = plugin_fail(CLI_EXIT_FAIL, "program", err.msg);
		goto out;
	}
	if (code_len == 0 || code_len % 8) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "%zu bytes is not a whole, non-zero number of 8-byte instructions",
			 code_len);
		status = plugin_fail(CLI_EXIT_FAIL, "program", msg);
		goto out;
	}

	if (cli_conformance_helpers(&helpers, &err)) {
		status = plugin_fail(CLI_EXIT_FAIL, "helpers", err.msg);
		goto out;
	}
	/* malloc'd, so aligned for any type. */
	if (uebpf_prog_load((const struct bpf_insn *)code, code_len / 8,
			    &(struct uebpf_prog_opts){
				    .sz = sizeof(struct uebpf_prog_opts),
				    .name = "plugin",
				    .helpers = helpers,
			    },
			    &prog, &err)) {
		status = plugin_fail(CLI_EXIT_FAIL, "Failed to load code", err.msg);
		goto out;
	}
	ret = uebpf_prog_run(prog,
			     &(struct uebpf_run_opts){
				     .sz = sizeof(struct uebpf_run_opts),
				     .mem = mem,
				     .mem_len = mem_len,
				     .engine = engine,
			     },
			     &retval, &err);
	if (ret) {
		status = plugin_fail(ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL,
				     "Failed to execute program", err.msg);
		goto out;
	}
	printf("%" PRIx64 "\n", retval);
	status = CLI_EXIT_OK;
out:
	if (prog)
		uebpf_prog_destroy(prog);
	if (helpers)
		uebpf_helper_set_destroy(helpers);
	free(stdin_text);
	free(code);
	free(mem);
	return status;
}
