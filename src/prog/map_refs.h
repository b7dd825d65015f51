/* SPDX-License-Identifier: MIT */
/*
 * Map references in instructions (uebpf_prog_opts.maps): `lddw` with
 * src_reg 1/5 names maps[imm]; src_reg 2/6 names the value of maps[imm] at
 * the offset in the second slot's imm. The object loader emits 5/6 (the
 * kernel's fd_array forms); 1/2 are accepted with the same meaning so
 * hand-written programs read the same.
 */
#ifndef UEBPF_PROG_MAP_REFS_H
#define UEBPF_PROG_MAP_REFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "uebpf/map.h"

static inline bool prog_is_map_ref(const struct bpf_insn *insn)
{
	return isa_is_lddw(insn) &&
	       (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_VALUE ||
		insn->src_reg == BPF_PSEUDO_MAP_IDX || insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE);
}

static inline bool prog_is_map_value_ref(const struct bpf_insn *insn)
{
	return isa_is_lddw(insn) && (insn->src_reg == BPF_PSEUDO_MAP_VALUE ||
				     insn->src_reg == BPF_PSEUDO_MAP_IDX_VALUE);
}

/* Checks every map reference: index inside `maps`, and for value references
 * a map allowing direct value access (a single-element array, as in the
 * kernel) with the offset inside its value. Errors name the instruction. */
int prog_map_refs_check(const struct bpf_insn *insns, size_t cnt,
			struct uebpf_map *const *maps, size_t nr_maps, const char *prog_name,
			struct uebpf_error *err);

/* The map a checked reference at insns[idx] names; *value_off receives the
 * offset for value references (0 otherwise). */
struct uebpf_map *prog_map_ref(const struct bpf_insn *insns, size_t idx,
			       struct uebpf_map *const *maps, uint32_t *value_off);

/* The 64-bit value `lddw` loads at run time for the checked reference at
 * insns[idx]: the struct uebpf_map pointer (src 1/5), which helpers receive
 * as their map argument, or the address of the value byte at the offset
 * (src 2/6). Engines call this when they prepare a program. */
uint64_t prog_map_ref_value(const struct bpf_insn *insns, size_t idx,
			    struct uebpf_map *const *maps);

#endif
