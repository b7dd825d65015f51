/* SPDX-License-Identifier: MIT */
/*
 * Map helper calls the JIT may turn into direct calls of the map's ops, as
 * the kernel's verifier does in its fixup pass: bpf_map_lookup_elem,
 * bpf_map_update_elem and bpf_map_delete_elem on a map r1 provably holds.
 */
#ifndef UEBPF_JIT_MAPCALL_H
#define UEBPF_JIT_MAPCALL_H

#include <stddef.h>
#include <stdint.h>

#include "maps/map_internal.h"
#include "prog/prog.h"

/* The map r1 provably holds at the helper call insns[call]: a map
 * reference `lddw r1, map` (src_reg 1/5) earlier in the same straight-line
 * run, with nothing in between that writes r1, jumps, calls, loads packet
 * bytes or is a jump target (is_target[call] included). NULL when there is
 * no such proof. Relies on lddw second slots having code 0 (isa checks). */
struct uebpf_map *jit_mapcall_known_r1(const struct uebpf_prog *prog, const struct bpf_insn *insns,
				       size_t call, const uint8_t *is_target);

/* For the helper call insns[call] in verified (unchecked) code: the map ops
 * function its helper reduces to (map_prog_op_direct) and, in *op, which
 * operation it is; NULL when the call must stay a helper call (another
 * helper, a map not known at compile time, a map the helper treats
 * specially). */
void *jit_mapcall_direct_fn(const struct uebpf_prog *prog, const struct bpf_insn *insns,
			    size_t call, const uint8_t *is_target, enum map_prog_op *op);

#endif
