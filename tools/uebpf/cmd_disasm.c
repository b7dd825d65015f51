/* SPDX-License-Identifier: MIT */
/* `uebpf disasm FILE`: a program (raw, .s or .data) as assembly; ELF
 * objects are printed by disasm_elf.c. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "uebpf/asm.h"

static void disasm_usage(FILE *out)
{
	fprintf(out, "usage: uebpf disasm FILE\n"
		     "       uebpf disasm OBJ.o [--prog NAME]\n"
		     "       uebpf disasm --jited[=unchecked] FILE|OBJ.o [--prog NAME]\n"
		     "Prints the program in FILE (raw instructions, .s assembly or a .data\n"
		     "vector) as assembly that `uebpf asm` turns back into the same bytes.\n"
		     "For an ELF object, prints each program (or the one named) as linked,\n"
		     "with its C source lines (BTF line info) and map names.\n"
		     "--jited[=unchecked]: the x86-64 code the JIT makes of it instead, under\n"
		     "each instruction (checked code, as unverified programs run, by default).\n");
}

int cmd_disasm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "prog", required_argument, NULL, 'p' },
		{ "jited", optional_argument, NULL, 'j' },
		{ 0 },
	};
	struct uebpf_error err = { 0 };
	struct cli_program prog;
	const char *in, *prog_name = NULL, *jited = NULL;
	char *text;
	int c, ret;

	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h': disasm_usage(stdout); return CLI_EXIT_OK;
		case 'p': prog_name = optarg; break;
		case 'j': jited = optarg ? optarg : "checked"; break;
		default: disasm_usage(stderr); return CLI_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_errorf("disasm", "expected exactly one input file");
		disasm_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	in = argv[optind];
	if (jited) {
		if (strcmp(jited, "checked") && strcmp(jited, "unchecked")) {
			cli_errorf("disasm", "--jited=%s: expected checked or unchecked", jited);
			return CLI_EXIT_USAGE;
		}
		return cli_disasm_jited(in, prog_name, !strcmp(jited, "checked"));
	}
	if (cli_file_is_elf(in))
		return cli_disasm_object(in, prog_name);
	if (prog_name) {
		cli_errorf("disasm", "--prog applies to ELF objects only; %s is not one", in);
		return CLI_EXIT_USAGE;
	}

	ret = cli_load_program_file(in, &prog, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", in, err.msg);
		return ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
	}
	ret = uebpf_disasm(prog.insns, prog.insn_cnt, &text, &err);
	cli_program_free(&prog);
	if (ret) {
		fprintf(stderr, "%s: %s\n", in, err.msg);
		return CLI_EXIT_FAIL;
	}
	fputs(text, stdout);
	free(text);
	return CLI_EXIT_OK;
}
