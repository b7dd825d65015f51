/* SPDX-License-Identifier: MIT */
/* `uebpf asm IN.s -o OUT.bin`: text assembly to raw instructions. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "uebpf/asm.h"

static void asm_usage(FILE *out)
{
	fprintf(out, "usage: uebpf asm IN.s -o OUT.bin\n"
		     "Assembles IN.s (or a .data vector's program) into raw little-endian\n"
		     "8-byte instructions. OUT '-' writes to stdout.\n");
}

int cmd_asm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct uebpf_error err = { 0 };
	struct cli_program prog;
	const char *in, *out = NULL;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': asm_usage(stdout); return CLI_EXIT_OK;
		default: asm_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || !out) {
		cli_errorf("asm", "%s", optind != argc - 1 ? "expected exactly one input file"
							    : "missing -o OUT.bin");
		asm_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	in = argv[optind];

	ret = cli_load_program_file(in, &prog, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", in, err.msg);
		return ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
	}
	if (strcmp(out, "-") == 0) {
		size_t len = prog.insn_cnt * sizeof(*prog.insns);

		ret = fwrite(prog.insns, 1, len, stdout) == len && fflush(stdout) == 0
			      ? 0 : -EIO;
		if (ret)
			snprintf(err.msg, sizeof(err.msg), "cannot write: %s", strerror(EIO));
	} else {
		ret = cli_write_file(out, prog.insns, prog.insn_cnt * sizeof(*prog.insns), &err);
	}
	cli_program_free(&prog);
	if (ret) {
		fprintf(stderr, "%s: %s\n", out, err.msg);
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}
