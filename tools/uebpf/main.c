/* SPDX-License-Identifier: MIT */
/* `uebpf`: dispatches to one subcommand per file (cmd_*.c). To add one,
 * write cmd_NAME.c, declare it in cli.h and add a row to `commands`. */
#include <libgen.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_command commands[] = {
	{ "asm", cmd_asm, "IN.s -o OUT.bin", "assemble text into raw instructions" },
	{ "disasm", cmd_disasm, "FILE|OBJ", "print a program (or an object's programs) as assembly" },
	{ "run", cmd_run, "PROG [options]", "run a program, print r0 (and timing)" },
	{ "conformance", cmd_conformance, "[options] PATH...", "check .data conformance vectors" },
	{ "plugin", cmd_plugin, "[MEMHEX] [options]", "bpf_conformance plugin: program as hex on stdin" },
	{ "test-run", cmd_test_run, "OBJ [options]", "run a program on a packet as BPF_PROG_TEST_RUN does" },
	{ "map", cmd_map, "VERB [NAME] ...", "list, dump, look up, update or delete pinned maps" },
	/* verifier (engineer "verifier"): */
	{ "verify", cmd_verify, "FILE [options]", "check a program is safe, explain a refusal" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fprintf(out, "usage: uebpf COMMAND [ARGS...]\n"
		     "       uebpf COMMAND --help\n"
		     "       uebpf --version\n\ncommands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "  %-12s%-20s %s\n", commands[i].name, commands[i].args,
			commands[i].summary);
	fprintf(out, "\nSee docs/cli.md for every flag, output format and exit code.\n");
}

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct cli_command *cmd;
	char self[256];

	/* Installed as (or symlinked to) `uebpf_plugin`, the tool behaves as
	 * the plugin bpf_conformance_runner expects, with no subcommand. */
	snprintf(self, sizeof(self), "%s", argv[0] ? argv[0] : "uebpf");
	if (strcmp(basename(self), "uebpf_plugin") == 0) {
		argv[0] = "plugin";
		return cmd_plugin(argc, argv);
	}

	if (argc < 2) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && (cmd = find_command(argv[2]))) {
			char help[] = "--help";
			char *sub_argv[] = { argv[2], help, NULL };

			return cmd->run(2, sub_argv);
		}
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("uebpf %s\n", UEBPF_CLI_VERSION);
		return CLI_EXIT_OK;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		fprintf(stderr, "uebpf: unknown command '%s'\n\n", argv[1]);
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	return cmd->run(argc - 1, argv + 1);
}
