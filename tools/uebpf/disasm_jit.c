/* SPDX-License-Identifier: MIT */
/* `uebpf disasm --jited FILE`: the x86-64 code the JIT makes of a program
 * (raw, .s, .data or each program of an ELF object), instruction by
 * instruction (jit_image_disasm, capstone). */
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "jit/jit.h"
#include "uebpf/object.h"

static int print_jited(const char *title, const struct uebpf_prog *prog, bool checked)
{
	struct uebpf_error err = { 0 };
	struct jit_image *image = NULL;
	char *text = NULL;
	int ret;

	ret = jit_compile(prog, checked, &image, &err);
	if (!ret)
		ret = jit_image_disasm(image, uebpf_prog_insns(prog), uebpf_prog_insn_cnt(prog),
				       &text, &err);
	jit_image_free(image);
	if (ret) {
		fprintf(stderr, "%s: %s\n", title, err.msg);
		return ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
	}
	printf("; %s\n%s", title, text);
	free(text);
	return CLI_EXIT_OK;
}

int cli_disasm_jited(const char *path, const char *prog_name, bool checked)
{
	const struct cli_load_opts opts = { .path = path, .prog_name = prog_name };
	struct uebpf_error err = { 0 };
	struct cli_loaded_prog lp;
	int ret;

	ret = cli_load_for_run(&opts, &lp, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		return ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
	}
	if (!lp.obj || prog_name) {
		ret = print_jited(lp.name, lp.prog, checked);
	} else {   /* every program of the object that loaded */
		ret = CLI_EXIT_OK;
		for (size_t i = 0; i < uebpf_object_prog_cnt(lp.obj) && ret == CLI_EXIT_OK; i++) {
			struct uebpf_object_prog *op = uebpf_object_prog_at(lp.obj, i);
			struct uebpf_prog *prog = uebpf_object_prog_get(op);

			if (i)
				fputc('\n', stdout);
			if (prog)
				ret = print_jited(uebpf_object_prog_name(op), prog, checked);
			else
				printf("; %s: not loaded\n", uebpf_object_prog_name(op));
		}
	}
	cli_loaded_prog_free(&lp);
	return ret;
}
