/* SPDX-License-Identifier: MIT */
#include "prog/map_refs.h"

#include <errno.h>
#include <stdio.h>

#include <linux/bpf.h>

#include "common/error.h"
#include "maps/map_internal.h"

static int ref_error(const struct bpf_insn *insns, size_t cnt, size_t idx, const char *name,
		     struct uebpf_error *err, int code, const char *why)
{
	char text[96];

	isa_format_insn(insns, cnt, idx, text, sizeof(text));
	return uebpf_err(err, code, "program '%s' insn %zu (%s): %s", name ? name : "", idx,
			 text, why);
}

int prog_map_refs_check(const struct bpf_insn *insns, size_t cnt,
			struct uebpf_map *const *maps, size_t nr_maps, const char *prog_name,
			struct uebpf_error *err)
{
	char why[192];
	size_t i;

	for (i = 0; i + 1 < cnt; i++) {
		const struct bpf_insn *insn = &insns[i];
		const struct uebpf_map *map;
		uint32_t off;

		if (!isa_is_lddw(insn))
			continue;
		if (!prog_is_map_ref(insn)) {
			i++;
			continue;
		}
		if (insn->imm < 0 || (size_t)insn->imm >= nr_maps || !maps || !maps[insn->imm]) {
			snprintf(why, sizeof(why), "map index %d is not one of the %zu maps given in "
				 "uebpf_prog_opts.maps", insn->imm, nr_maps);
			return ref_error(insns, cnt, i, prog_name, err, -EINVAL, why);
		}
		map = maps[insn->imm];
		off = (uint32_t)insns[i + 1].imm;
		if (!prog_is_map_value_ref(insn)) {
			if (off) {
				snprintf(why, sizeof(why), "map reference must have 0 in its second imm");
				return ref_error(insns, cnt, i, prog_name, err, -EINVAL, why);
			}
		} else if (uebpf_map_type(map) != BPF_MAP_TYPE_ARRAY ||
			   uebpf_map_max_entries(map) != 1) {
			snprintf(why, sizeof(why), "direct value access needs a single-element array "
				 "map (global data); map '%s' is not one", uebpf_map_name(map));
			return ref_error(insns, cnt, i, prog_name, err, -EOPNOTSUPP, why);
		} else if (off >= uebpf_map_value_size(map)) {
			snprintf(why, sizeof(why), "offset %u is outside the %u-byte value of map '%s'",
				 off, uebpf_map_value_size(map), uebpf_map_name(map));
			return ref_error(insns, cnt, i, prog_name, err, -EINVAL, why);
		}
		i++;
	}
	return 0;
}

struct uebpf_map *prog_map_ref(const struct bpf_insn *insns, size_t idx,
			       struct uebpf_map *const *maps, uint32_t *value_off)
{
	const struct bpf_insn *insn = &insns[idx];

	if (value_off)
		*value_off = prog_is_map_value_ref(insn) ? (uint32_t)insns[idx + 1].imm : 0;
	return maps[insn->imm];
}

uint64_t prog_map_ref_value(const struct bpf_insn *insns, size_t idx,
			    struct uebpf_map *const *maps)
{
	uint32_t off, zero = 0;
	struct uebpf_map *map = prog_map_ref(insns, idx, maps, &off);
	uint8_t *value;

	if (!prog_is_map_value_ref(&insns[idx]))
		return (uint64_t)(uintptr_t)map;
	/* Checked: a single-element array, so element 0 always exists. */
	value = map_lookup_elem(map, &zero);
	return value ? (uint64_t)(uintptr_t)(value + off) : 0;
}
