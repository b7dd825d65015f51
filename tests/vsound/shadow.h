/* SPDX-License-Identifier: MIT */
/*
 * shadow: a reference interpreter that knows where every pointer points,
 * as the oracle of verifier soundness fuzzing.
 *
 * The library's checked interpreter stops accesses outside the memory a
 * run may touch, but that memory is coarse: the whole 4 KiB stack of all
 * frames, the whole storage of a map, the whole page of an XDP frame. A
 * verifier bug that lets a program read fp-520, the next map value, or the
 * byte after data_end would go unnoticed there. The shadow interpreter runs
 * the same program with every register and spilled stack slot tagged with
 * the region it points into (stack frame, data buffer or packet, context,
 * one map value, ...) and stops at the first access outside that exact
 * region, at a read of a stack byte never written (uebpf's verifier
 * refuses those), at a read of a register without a value, and at a
 * dereference of a number (a NULL map value, say).
 *
 * Pointers hold made-up addresses (each region has its own base), so
 * comparisons and arithmetic on them behave like real ones; the run is a
 * real execution of the program, just with another memory layout, and a
 * verified program must be safe for every layout.
 *
 * Supported: ALU/ALU64 (v4 included), JMP/JMP32, LDX/ST/STX (MEM, MEMSX),
 * lddw (constants, map references), bpf_map_lookup_elem on array maps,
 * exit. Anything else makes the run "unsupported", which is not a finding.
 */
#ifndef UEBPF_TESTS_SHADOW_H
#define UEBPF_TESTS_SHADOW_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum shadow_ctx {
	SHADOW_CTX_RAW,          /* r1 = the data buffer, r2 = its length */
	SHADOW_CTX_XDP,          /* r1 = struct xdp_md over the data as the packet */
};

struct shadow_input {
	enum shadow_ctx ctx;
	const uint8_t *data;     /* copied; the buffer (raw) or packet (XDP) */
	size_t data_len;
	uint32_t map_value_size; /* the array map lddw src 1 imm 0 names; 0: none */
	uint32_t map_max_entries;
	uint64_t insn_budget;    /* instructions before the run counts as endless */
};

enum shadow_verdict {
	SHADOW_OK,
	SHADOW_VIOLATION,        /* the program did something a verified one must not */
	SHADOW_UNSUPPORTED,      /* an instruction or helper the shadow does not model */
	SHADOW_NOMEM,
};

struct shadow_result {
	enum shadow_verdict verdict;
	uint64_t r0;
	uint64_t insns;          /* instructions executed */
	long insn_idx;           /* where the violation happened */
	char why[256];
};

void shadow_run(const struct bpf_insn *insns, size_t cnt, const struct shadow_input *in,
		struct shadow_result *res);

#endif
