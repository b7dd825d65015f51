/* SPDX-License-Identifier: MIT */
/*
 * Finding the map helper calls that can become direct map-ops calls
 * (jit_mapcall.h). The proof is deliberately local: a map reference in r1
 * earlier in the same straight-line code. That covers what compilers emit
 * (`r1 = map ll` right before the key setup and the call) without a data
 * flow analysis.
 */
#include "jit/jit_mapcall.h"

#include "helpers/helpers_internal.h"
#include "isa/isa.h"
#include "prog/map_refs.h"

/* Can `insn` change r1, or is control at the next instruction not simply
 * the fall-through of this one? Conservative: any atomic naming r1 as its
 * source counts as a write (the fetch forms write it). */
static bool breaks_r1_proof(const struct bpf_insn *insn)
{
	uint8_t cls = isa_class(insn->code);

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
	case BPF_LDX:
		return insn->dst_reg == 1;
	case BPF_LD:
		return !isa_is_lddw(insn) || insn->dst_reg == 1;  /* packet loads clobber r1..r5 */
	case BPF_ST:
		return false;
	case BPF_STX:
		return isa_mode(insn->code) != BPF_MEM && insn->src_reg == 1;
	default:
		return true;   /* jumps, calls, exit */
	}
}

static bool is_map_object_ref(const struct uebpf_prog *prog, const struct bpf_insn *insn)
{
	return (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_IDX) &&
	       prog->maps && insn->imm >= 0 && (size_t)insn->imm < prog->nr_maps;
}

struct uebpf_map *jit_mapcall_known_r1(const struct uebpf_prog *prog, const struct bpf_insn *insns,
				       size_t call, const uint8_t *is_target)
{
	size_t k = call;

	if (is_target[call])
		return NULL;
	while (k-- > 0) {
		const struct bpf_insn *insn;

		/* second slots have code 0, so a lddw opcode at k-1 is a first slot */
		if (k > 0 && isa_is_lddw(&insns[k - 1]))
			k--;
		insn = &insns[k];
		if (isa_is_lddw(insn) && insn->dst_reg == 1) {
			uint32_t off;

			if (!is_map_object_ref(prog, insn))
				return NULL;
			return prog_map_ref(insns, k, prog->maps, &off);
		}
		if (breaks_r1_proof(insn) || is_target[k])
			return NULL;
	}
	return NULL;
}

void *jit_mapcall_direct_fn(const struct uebpf_prog *prog, const struct bpf_insn *insns,
			    size_t call, const uint8_t *is_target, enum map_prog_op *op)
{
	const struct uebpf_helper_proto *proto =
		uebpf_helper_set_find(prog->helpers, (uint32_t)insns[call].imm);
	struct uebpf_map *map;

	/* The program's helper set decides what an id means: only uebpf's own
	 * map helpers are known to reduce to the map ops. */
	if (!proto)
		return NULL;
	if (proto->fn == helper_map_lookup_elem)
		*op = MAP_PROG_LOOKUP;
	else if (proto->fn == helper_map_update_elem)
		*op = MAP_PROG_UPDATE;
	else if (proto->fn == helper_map_delete_elem)
		*op = MAP_PROG_DELETE;
	else
		return NULL;
	map = jit_mapcall_known_r1(prog, insns, call, is_target);
	return map ? map_prog_op_direct(map, *op) : NULL;
}
