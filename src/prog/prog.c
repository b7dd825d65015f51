/* SPDX-License-Identifier: MIT */
/* The program object: loading raw instructions, accessors, destruction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "uebpf/map.h"
#include "interp/interp.h"
#include "jit/jit.h"
#include "maps/map_internal.h"
#include "prog/map_refs.h"
#include "prog/prog.h"

#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetof(typeof(*(opts)), field) + sizeof((opts)->field))

/* Options from a newer caller are fine as long as the fields we do not know
 * are zero, as libbpf does. */
static int check_opts(const struct uebpf_prog_opts *opts, struct uebpf_error *err)
{
	const unsigned char *tail;
	size_t i;

	if (!opts)
		return 0;
	if (opts->sz < sizeof(opts->sz))
		return uebpf_err(err, -EINVAL,
				 "uebpf_prog_load: opts->sz is %zu; set it to sizeof(struct uebpf_prog_opts)",
				 opts->sz);
	tail = (const unsigned char *)opts;
	for (i = sizeof(*opts); i < opts->sz; i++)
		if (tail[i])
			return uebpf_err(err, -EINVAL,
					 "uebpf_prog_load: opts has non-zero fields this library does "
					 "not know (byte %zu of %zu); upgrade the library", i, opts->sz);
	return 0;
}

static int insn_error(const struct bpf_insn *insns, size_t cnt, size_t idx,
		      const char *name, struct uebpf_error *err, const char *why)
{
	char text[96];

	isa_format_insn(insns, cnt, idx, text, sizeof(text));
	return uebpf_err(err, -EINVAL, "program '%s' insn %zu (%s): %s", name, idx, text, why);
}

/* What isa_validate_prog cannot know: the helper set and which lddw forms
 * this loader resolves. */
static int check_references(const struct bpf_insn *insns, size_t cnt, const char *name,
			    const struct uebpf_helper_set *helpers, bool have_maps,
			    struct uebpf_error *err)
{
	char why[160];
	size_t i;

	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *insn = &insns[i];

		if (isa_is_helper_call(insn) &&
		    !uebpf_helper_set_find(helpers, (uint32_t)insn->imm)) {
			snprintf(why, sizeof(why),
				 "unknown helper id %u: %s; add it to the helper set given in "
				 "uebpf_prog_opts.helpers", (unsigned)insn->imm,
				 helpers ? "the program's helper set has no such helper"
					 : "the program was loaded without a helper set");
			return insn_error(insns, cnt, i, name, err, why);
		}
		if (!isa_is_lddw(insn))
			continue;
		switch (insn->src_reg) {
		case 0:
			break;
		case BPF_PSEUDO_FUNC: {
			int64_t t = (int64_t)i + 1 + insn->imm;

			if (t < 0 || t >= (int64_t)cnt || (t > 0 && isa_is_lddw(&insns[t - 1])))
				return insn_error(insns, cnt, i, name, err,
						  "code address (lddw src=4) points outside the "
						  "program or into the middle of a lddw");
			if (insns[i + 1].imm)
				return insn_error(insns, cnt, i, name, err,
						  "code address (lddw src=4) must have 0 in its second imm");
			break;
		}
		case BPF_PSEUDO_MAP_FD:
		case BPF_PSEUDO_MAP_VALUE:
		case BPF_PSEUDO_MAP_IDX:
		case BPF_PSEUDO_MAP_IDX_VALUE:
			if (!have_maps)
				return insn_error(insns, cnt, i, name, err,
						  "map reference (lddw src=1/2/5/6) but the program was "
						  "loaded without maps: pass them in uebpf_prog_opts.maps "
						  "(the object loader does), or patch in the map's address "
						  "with a plain lddw (src=0)");
			break; /* checked by prog_map_refs_check */
		case BPF_PSEUDO_BTF_ID:
			return insn_error(insns, cnt, i, name, err,
					  "kernel symbol loads (lddw src=3) are not supported");
		default:
			break;   /* isa_validate_prog refuses src_reg > 6 */
		}
		i++;
	}
	return 0;
}

/* Checked engines let the program touch the value storage of every map it
 * references (lookups hand out pointers into it; global data is accessed
 * directly). */
static int add_map_regions(struct uebpf_prog *prog, struct uebpf_error *err)
{
	struct uebpf_region tmp[8], *grown;
	size_t i, n, total = prog->nr_static_regions;

	for (i = 0; i < prog->nr_maps; i++) {
		if (!prog->maps[i])
			continue;
		n = map_value_regions(prog->maps[i], tmp, sizeof(tmp) / sizeof(tmp[0]));
		if (n > sizeof(tmp) / sizeof(tmp[0]))
			return uebpf_err(err, -E2BIG, "program '%s': map '%s' has %zu value regions, "
					 "more than %zu", prog->name, uebpf_map_name(prog->maps[i]), n,
					 sizeof(tmp) / sizeof(tmp[0]));
		if (!n)
			continue;
		grown = realloc(prog->static_regions, (total + n) * sizeof(*grown));
		if (!grown)
			return uebpf_err(err, -ENOMEM, "program '%s': out of memory", prog->name);
		memcpy(grown + total, tmp, n * sizeof(*tmp));
		prog->static_regions = grown;
		total += n;
		prog->nr_static_regions = total;
	}
	return 0;
}

int uebpf_prog_load(const struct bpf_insn *insns, size_t insn_cnt,
		    const struct uebpf_prog_opts *opts, struct uebpf_prog **out,
		    struct uebpf_error *err)
{
	const struct uebpf_helper_set *helpers = OPTS_HAS(opts, helpers) ? opts->helpers : NULL;
	const char *name = OPTS_HAS(opts, name) && opts->name ? opts->name : "";
	struct uebpf_map *const *maps = OPTS_HAS(opts, maps) ? opts->maps : NULL;
	size_t nr_maps = OPTS_HAS(opts, nr_maps) ? opts->nr_maps : 0;
	struct uebpf_prog *prog;
	int ret;

	if (!out)
		return uebpf_err(err, -EINVAL, "uebpf_prog_load: out is NULL");
	*out = NULL;
	ret = check_opts(opts, err);
	if (ret)
		return ret;
	ret = isa_validate_prog(insns, insn_cnt, err);
	if (ret)
		return name[0] ? uebpf_err_prefix(err, "program '%s'", name) : ret;
	if (!maps && nr_maps)
		return uebpf_err(err, -EINVAL, "uebpf_prog_load: nr_maps is %zu but maps is NULL",
				 nr_maps);
	ret = check_references(insns, insn_cnt, name, helpers, maps != NULL, err);
	if (ret)
		return ret;
	if (maps) {
		ret = prog_map_refs_check(insns, insn_cnt, maps, nr_maps, name, err);
		if (ret)
			return ret;
	}

	prog = calloc(1, sizeof(*prog));
	if (!prog)
		return uebpf_err(err, -ENOMEM, "uebpf_prog_load: out of memory");
	pthread_mutex_init(&prog->jit_lock, NULL);
	prog->name = strdup(name);
	prog->insns = malloc(insn_cnt * sizeof(*insns));
	if (!prog->name || !prog->insns) {
		uebpf_prog_destroy(prog);
		return uebpf_err(err, -ENOMEM, "uebpf_prog_load: out of memory copying %zu instructions",
				 insn_cnt);
	}
	memcpy(prog->insns, insns, insn_cnt * sizeof(*insns));
	prog->insn_cnt = insn_cnt;
	prog->helpers = helpers;
	prog->maps = maps;
	prog->nr_maps = nr_maps;
	ret = add_map_regions(prog, err);
	if (ret) {
		uebpf_prog_destroy(prog);
		return ret;
	}

	ret = interp_prepare(prog, err);
	if (ret) {
		uebpf_prog_destroy(prog);
		return ret;
	}
	*out = prog;
	return 0;
}

void uebpf_prog_destroy(struct uebpf_prog *prog)
{
	if (!prog)
		return;
	/* a prog_array must never hand a tail call a freed program */
	uebpf_prog_registry_forget(prog);
	interp_image_free(prog->interp);
	if (prog->jit)
		jit_image_free(prog->jit);
	if (prog->jit_checked)
		jit_image_free(prog->jit_checked);
	free(prog->jit_errmsg[0]);
	free(prog->jit_errmsg[1]);
	pthread_mutex_destroy(&prog->jit_lock);
	free(prog->static_regions);
	free(prog->insns);
	free(prog->name);
	free(prog);
}

size_t uebpf_prog_insn_cnt(const struct uebpf_prog *prog)
{
	return prog ? prog->insn_cnt : 0;
}

const struct bpf_insn *uebpf_prog_insns(const struct uebpf_prog *prog)
{
	return prog ? prog->insns : NULL;
}

const char *uebpf_prog_name(const struct uebpf_prog *prog)
{
	return prog && prog->name ? prog->name : "";
}

bool uebpf_prog_is_verified(const struct uebpf_prog *prog)
{
	return prog && prog->verified;
}
