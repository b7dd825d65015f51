/* SPDX-License-Identifier: MIT */
/* Getting one program ready to run with the Linux helpers, from an ELF
 * object (opened, the program picked by name, all maps created, optionally
 * pinned) or from raw instructions / assembly; then asking the verifier so
 * verified programs can run without runtime checks. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "uebpf/helpers.h"
#include "uebpf/object.h"
#include "uebpf/verifier.h"

static int set_err(struct uebpf_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int set_err(struct uebpf_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* "no program 'x'; the object has: a, b" */
static int no_such_prog(const struct uebpf_object *obj, const char *name,
			struct uebpf_error *err)
{
	size_t nr = uebpf_object_prog_cnt(obj), used;

	used = (size_t)snprintf(err->msg, sizeof(err->msg), "no program '%s'; the object has:",
				name);
	for (size_t i = 0; i < nr && used < sizeof(err->msg); i++)
		used += (size_t)snprintf(err->msg + used, sizeof(err->msg) - used, "%s %s",
					 i ? "," : "",
					 uebpf_object_prog_name(uebpf_object_prog_at(obj, i)));
	err->code = -ENOENT;
	return -ENOENT;
}

/* Which program of the object runs and as what type: opens the object once
 * without helpers, since the helper set depends on the type. */
static int pick_program(const struct cli_load_opts *o, char **name, uint32_t *type,
			struct uebpf_error *err)
{
	struct uebpf_object_opts opts = { .sz = sizeof(opts) };
	struct uebpf_object_prog *p;
	struct uebpf_object *obj;
	int ret;

	ret = uebpf_object_open_file(o->path, &opts, &obj, err);
	if (ret)
		return ret;
	if (uebpf_object_prog_cnt(obj) == 0) {
		uebpf_object_destroy(obj);
		return set_err(err, -ENOENT, "the object has no programs");
	}
	p = o->prog_name ? uebpf_object_find_prog(obj, o->prog_name) : uebpf_object_prog_at(obj, 0);
	if (!p) {
		ret = no_such_prog(obj, o->prog_name, err);
		uebpf_object_destroy(obj);
		return ret;
	}
	*type = o->prog_type ? o->prog_type : uebpf_object_prog_type(p);
	if (!*type)
		ret = set_err(err, -EINVAL,
			      "program '%s' is in section '%s', which names no program type; "
			      "give one with --type", uebpf_object_prog_name(p),
			      uebpf_object_prog_section(p));
	else if (!(*name = strdup(uebpf_object_prog_name(p))))
		ret = set_err(err, -ENOMEM, "out of memory");
	uebpf_object_destroy(obj);
	return ret;
}

static int load_object(const struct cli_load_opts *o, struct cli_loaded_prog *lp,
		       struct uebpf_error *err)
{
	struct uebpf_object_opts opts = { .sz = sizeof(opts) };
	int ret;

	ret = pick_program(o, &lp->name, &lp->prog_type, err);
	if (ret)
		return ret;
	ret = uebpf_helper_set_create_linux(lp->prog_type, &lp->helpers, err);
	if (ret)
		return ret;
	opts.helpers = lp->helpers;
	opts.pin_dir = o->pin_dir;
	opts.pin_mode = UEBPF_PIN_ALL;
	/* All programs load (tail calls need them); when another program
	 * cannot (e.g. it calls a helper of another type), the one asked for
	 * loads alone. */
	for (int alone = 0; alone < 2; alone++) {
		struct uebpf_error first = *err;

		ret = uebpf_object_open_file(o->path, &opts, &lp->obj, err);
		if (ret)
			return ret;
		lp->oprog = uebpf_object_find_prog(lp->obj, lp->name);
		if (o->prog_type) {
			ret = uebpf_object_prog_set_type(lp->oprog, o->prog_type, 0);
			if (ret)
				return set_err(err, ret, "cannot set the type of program '%s'", lp->name);
		}
		for (size_t i = 0; alone && i < uebpf_object_prog_cnt(lp->obj); i++) {
			struct uebpf_object_prog *p = uebpf_object_prog_at(lp->obj, i);

			uebpf_object_prog_set_autoload(p, p == lp->oprog);
		}
		ret = uebpf_object_load(lp->obj, err);
		if (!ret)
			break;
		uebpf_object_destroy(lp->obj);
		lp->obj = NULL;
		if (alone) {
			*err = first;   /* the first failure explains more */
			return ret;
		}
	}
	lp->prog = uebpf_object_prog_get(lp->oprog);
	if (!lp->prog)
		return set_err(err, -ENOENT, "program '%s' was not loaded", lp->name);
	return 0;
}

static int load_raw(const struct cli_load_opts *o, struct cli_loaded_prog *lp,
		    struct uebpf_error *err)
{
	struct uebpf_prog_opts opts = { .sz = sizeof(opts) };
	struct cli_program raw;
	int ret;

	if (o->prog_name)
		return set_err(err, -EINVAL, "--prog names a program of an ELF object; this is not one");
	ret = cli_load_program_file(o->path, &raw, err);
	if (ret)
		return ret;
	lp->prog_type = o->prog_type ? o->prog_type : UEBPF_PROG_TYPE_RAW;
	ret = uebpf_helper_set_create_linux(lp->prog_type, &lp->helpers, err);
	if (ret)
		goto out;
	lp->name = strdup(o->path);
	opts.name = lp->name;
	opts.helpers = lp->helpers;
	ret = uebpf_prog_load(raw.insns, raw.insn_cnt, &opts, &lp->own_prog, err);
	lp->prog = lp->own_prog;
out:
	cli_program_free(&raw);
	return ret;
}

int cli_load_for_run(const struct cli_load_opts *o, struct cli_loaded_prog *lp,
		     struct uebpf_error *err)
{
	int ret;

	memset(lp, 0, sizeof(*lp));
	ret = cli_file_is_elf(o->path) ? load_object(o, lp, err) : load_raw(o, lp, err);
	if (ret)
		cli_loaded_prog_free(lp);
	return ret;
}

void cli_loaded_prog_free(struct cli_loaded_prog *lp)
{
	uebpf_prog_destroy(lp->own_prog);
	uebpf_object_destroy(lp->obj);
	uebpf_helper_set_destroy(lp->helpers);
	free(lp->name);
	memset(lp, 0, sizeof(*lp));
}

static void verify_map_of(const struct uebpf_object_map *om, struct uebpf_verify_map *vm)
{
	struct uebpf_map_spec spec = { .sz = sizeof(spec) };

	uebpf_object_map_spec(om, &spec);
	*vm = (struct uebpf_verify_map){
		.name = spec.name, .type = spec.type, .key_size = spec.key_size,
		.value_size = spec.value_size, .max_entries = spec.max_entries,
		.map_flags = spec.map_flags,
	};
}

/* The verifier's view of the object's maps and of one program's source
 * lines. */
static int verify_one(struct uebpf_object *obj, struct uebpf_object_prog *oprog,
		      struct uebpf_prog *prog, uint32_t prog_type, size_t raw_mem_size,
		      struct uebpf_error *err)
{
	struct uebpf_verify_opts vopts = { .sz = sizeof(vopts) };
	struct uebpf_verify_map *maps = NULL;
	struct uebpf_insn_line *lines = NULL;
	size_t nr_maps = 0, nr_lines = 0;
	int ret;

	vopts.prog_type = prog_type;
	vopts.mem_size = raw_mem_size;
	if (obj) {
		const struct uebpf_line_info *li;

		nr_maps = uebpf_object_map_cnt(obj);
		/* maps[nr_maps + i]: the inner map shape of map i, if any. */
		maps = calloc(nr_maps ? 2 * nr_maps : 1, sizeof(*maps));
		nr_lines = uebpf_object_prog_line_info(oprog, &li);
		lines = calloc(nr_lines ? nr_lines : 1, sizeof(*lines));
		if (!maps || !lines) {
			free(maps);
			free(lines);
			return set_err(err, -ENOMEM, "out of memory");
		}
		for (size_t i = 0; i < nr_maps; i++) {
			const struct uebpf_object_map *om = uebpf_object_map_at(obj, i);
			const struct uebpf_object_map *inner = uebpf_object_map_inner(om);

			verify_map_of(om, &maps[i]);
			if (inner) {
				verify_map_of(inner, &maps[nr_maps + i]);
				maps[i].inner_map = &maps[nr_maps + i];
			}
		}
		for (size_t i = 0; i < nr_lines; i++)
			lines[i] = (struct uebpf_insn_line){
				.insn_idx = (uint32_t)li[i].insn_idx, .line = li[i].line,
				.col = li[i].col, .file = li[i].file, .text = li[i].source,
			};
		vopts.expected_attach_type = uebpf_object_prog_expected_attach_type(oprog);
		vopts.maps = maps;
		vopts.nr_maps = nr_maps;
		vopts.lines = lines;
		vopts.nr_lines = nr_lines;
	}
	ret = uebpf_prog_verify(prog, &vopts, NULL, err);
	free(maps);
	free(lines);
	return ret;
}

int cli_verify_loaded(struct cli_loaded_prog *lp, size_t raw_mem_size, struct uebpf_error *err)
{
	int ret = verify_one(lp->obj, lp->oprog, lp->prog, lp->prog_type, raw_mem_size, err);

	lp->verified = ret == 0;
	/* The other programs too: an unchecked run may tail-call only into
	 * verified programs. Those the verifier refuses stay checked-only. */
	for (size_t i = 0; lp->obj && i < uebpf_object_prog_cnt(lp->obj); i++) {
		struct uebpf_object_prog *op = uebpf_object_prog_at(lp->obj, i);
		struct uebpf_prog *prog = uebpf_object_prog_get(op);
		struct uebpf_error ignored = { 0 };

		if (op != lp->oprog && prog)
			verify_one(lp->obj, op, prog, uebpf_object_prog_type(op), 0, &ignored);
	}
	return ret;
}
