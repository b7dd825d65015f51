/* SPDX-License-Identifier: MIT */
/* `uebpf disasm OBJ`: each program of an ELF object as linked by the loader,
 * its instructions interleaved with the C source lines of BTF line info,
 * map references shown by name, helper calls by name and branch targets as
 * instruction indexes. The object is only opened (no maps are created). */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "helpers/protos.h"   /* helper names */
#include "isa/isa.h"          /* isa_format_insn, opcode predicates */
#include "uebpf/object.h"
#include "uebpf/verifier.h"   /* uebpf_prog_type_name */

/* A comment for what the raw text does not say: which map an lddw names,
 * which helper a call reaches, where a branch lands. "" when nothing. */
static void annotate(const struct uebpf_object *obj, const struct bpf_insn *insns,
		     size_t cnt, size_t idx, char *buf, size_t len)
{
	const struct bpf_insn *insn = &insns[idx];

	buf[0] = '\0';
	if (isa_is_lddw(insn) && idx + 1 < cnt) {
		struct uebpf_object_map *map = NULL;
		const char *name;

		switch (insn->src_reg) {
		case BPF_PSEUDO_MAP_IDX:
		case BPF_PSEUDO_MAP_FD:
			map = uebpf_object_map_at(obj, (size_t)(uint32_t)insn->imm);
			name = map ? uebpf_object_map_name(map) : "?";
			snprintf(buf, len, "map %s", name);
			break;
		case BPF_PSEUDO_MAP_IDX_VALUE:
		case BPF_PSEUDO_MAP_VALUE:
			map = uebpf_object_map_at(obj, (size_t)(uint32_t)insn->imm);
			name = map ? uebpf_object_map_name(map) : "?";
			snprintf(buf, len, "&%s + %u", name, (uint32_t)insns[idx + 1].imm);
			break;
		case BPF_PSEUDO_FUNC:
			snprintf(buf, len, "code at insn %lld",
				 (long long)((int64_t)idx + 1 + insn->imm));
			break;
		}
		return;
	}
	if (isa_is_helper_call(insn)) {
		const struct helper_linux_proto *p = helper_linux_proto((uint32_t)insn->imm);

		if (p && p->proto.name)
			snprintf(buf, len, "%s", p->proto.name);
		return;
	}
	if (isa_is_local_call(insn) || isa_is_ja(insn->code) || isa_is_cond_jmp(insn->code))
		snprintf(buf, len, "-> insn %lld", (long long)isa_branch_target(insn, idx));
}

static void print_source_lines(const struct uebpf_line_info *lines, size_t nr_lines,
			       size_t *next_line, size_t idx)
{
	while (*next_line < nr_lines && lines[*next_line].insn_idx <= idx) {
		const struct uebpf_line_info *li = &lines[(*next_line)++];
		const char *file = li->file ? strrchr(li->file, '/') : NULL;
		const char *src = li->source ? li->source : "";

		while (*src == ' ' || *src == '\t')
			src++;
		file = file ? file + 1 : (li->file ? li->file : "?");
		if (li->insn_idx == idx)
			printf("; %s:%u: %s\n", file, li->line, src);
	}
}

static void print_prog(const struct uebpf_object *obj, const struct uebpf_object_prog *prog)
{
	const struct uebpf_line_info *lines;
	const struct uebpf_func_info *funcs;
	size_t cnt, nr_lines, nr_funcs, next_line = 0, next_func = 0;
	const struct bpf_insn *insns = uebpf_object_prog_insns(prog, &cnt);
	const char *type = uebpf_prog_type_name(uebpf_object_prog_type(prog));

	nr_lines = uebpf_object_prog_line_info(prog, &lines);
	nr_funcs = uebpf_object_prog_func_info(prog, &funcs);
	printf("%s: section %s, type %s, %zu instructions\n", uebpf_object_prog_name(prog),
	       uebpf_object_prog_section(prog), type ? type : "unknown", cnt);
	for (size_t idx = 0; idx < cnt; idx++) {
		char text[160], note[128];

		while (next_func < nr_funcs && funcs[next_func].insn_idx <= idx) {
			if (funcs[next_func].insn_idx == idx && idx > 0)
				printf("%s():\n", funcs[next_func].name ? funcs[next_func].name : "?");
			next_func++;
		}
		print_source_lines(lines, nr_lines, &next_line, idx);
		isa_format_insn(insns, cnt, idx, text, sizeof(text));
		annotate(obj, insns, cnt, idx, note, sizeof(note));
		if (note[0])
			printf("%6zu: %-40s ; %s\n", idx, text, note);
		else
			printf("%6zu: %s\n", idx, text);
		if (isa_is_lddw(&insns[idx]))
			idx++;
	}
}

bool cli_file_is_elf(const char *path)
{
	unsigned char magic[4];
	FILE *f = fopen(path, "rb");
	bool elf;

	if (!f)
		return false;
	elf = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	      memcmp(magic, "\x7f" "ELF", 4) == 0;
	fclose(f);
	return elf;
}

int cli_disasm_object(const char *path, const char *prog_name)
{
	struct uebpf_object_opts opts = { .sz = sizeof(opts) };
	struct uebpf_error err = { 0 };
	struct uebpf_object *obj;
	size_t nr;
	int ret;

	ret = uebpf_object_open_file(path, &opts, &obj, &err);
	if (ret) {
		fprintf(stderr, "%s: %s\n", path, err.msg);
		return ret == -EOPNOTSUPP ? CLI_EXIT_UNSUPPORTED : CLI_EXIT_FAIL;
	}
	nr = uebpf_object_prog_cnt(obj);
	if (prog_name) {
		struct uebpf_object_prog *prog = uebpf_object_find_prog(obj, prog_name);

		if (!prog) {
			fprintf(stderr, "%s: no program '%s'; programs:", path, prog_name);
			for (size_t i = 0; i < nr; i++)
				fprintf(stderr, " %s", uebpf_object_prog_name(uebpf_object_prog_at(obj, i)));
			fputc('\n', stderr);
			uebpf_object_destroy(obj);
			return CLI_EXIT_FAIL;
		}
		print_prog(obj, prog);
	} else {
		for (size_t i = 0; i < nr; i++) {
			if (i)
				fputc('\n', stdout);
			print_prog(obj, uebpf_object_prog_at(obj, i));
		}
	}
	uebpf_object_destroy(obj);
	return CLI_EXIT_OK;
}
