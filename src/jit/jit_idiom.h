/* SPDX-License-Identifier: MIT */
/*
 * Loop and branch idioms of unchecked (verified) code that the JIT
 * translates as a whole rather than instruction by instruction
 * (docs/jit.md, "Idioms"):
 *
 *  - counted copy loops (one load, one store of the loaded value, address
 *    and counter registers advancing by constants) become `rep movsb`
 *    behind a run-time guard that proves the trip count, with the plain
 *    loop as the fallback;
 *  - trees of conditional jumps on one register against constants (what
 *    clang makes of a dense switch) get a jump table for the values
 *    [0, range), with the tree itself as the fallback.
 *
 * The analysis is pure (instructions in, descriptions out); the emitters
 * write the special code into the buffer and leave the jumps into ordinary
 * instructions to the translator's fixups.
 */
#ifndef UEBPF_JIT_IDIOM_H
#define UEBPF_JIT_IDIOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "jit/x86_emit.h"

/* A symbolic 64-bit value in terms of the registers at the start of a loop
 * iteration: reg[0] + reg[1] + k (-1: no register), or the value the
 * iteration loaded. */
enum jit_idiom_sym_kind { JIT_SYM_AFFINE, JIT_SYM_LOADED, JIT_SYM_POISON };

struct jit_idiom_sym {
	uint8_t kind;
	int8_t reg[2];
	uint64_t k;
};

/* What a copy loop leaves in one register, as a function of its value at
 * loop entry (R), the trip count n and the registers' strides. */
enum jit_copy_final {
	JIT_COPY_KEEP,         /* not written, or written back unchanged */
	JIT_COPY_INDUCTION,    /* R + n * stride */
	JIT_COPY_TEMP,         /* sym evaluated at the start of the last iteration */
	JIT_COPY_LOADED,       /* the last value loaded (= stored) */
};

struct jit_copy_loop {
	uint32_t head;         /* the first instruction; only it may be a jump target */
	uint32_t back_insn;    /* the jump back to head (last instruction of the loop) */
	uint32_t exit_insn;    /* where the loop goes when it ends */
	uint8_t width;         /* bytes per load and store: 1, 2, 4, 8 */
	bool load_signed;      /* ldxs: the loaded value is sign-extended */
	/* Trip count: the counter register advances by dir (+1/-1) per
	 * iteration and is compared (cmp64: 64-bit, else 32-bit) with a
	 * constant. n = dir > 0 ? bound - C : C - bound, in the compare's
	 * width, is the exact trip count when `cmp C, guard_imm` does not take
	 * guard_cc (no guard when guard_cc < 0) and n >= 1. */
	uint8_t counter;
	bool cmp64;
	int8_t dir;
	uint64_t bound;
	int32_t guard_imm;
	int guard_cc;          /* enum x86_cc, or -1 */
	struct jit_idiom_sym src, dst;     /* addresses of the first iteration */
	uint8_t final[ISA_NR_REGS];        /* enum jit_copy_final */
	int64_t stride[ISA_NR_REGS];       /* JIT_COPY_INDUCTION */
	struct jit_idiom_sym temp[ISA_NR_REGS];  /* JIT_COPY_TEMP */
	int64_t temp_stride[ISA_NR_REGS];  /* JIT_COPY_TEMP: its sym's stride */
	uint32_t plain_off;    /* set by the translator: the plain loop's code */
};

#define JIT_SWITCH_MAX_RANGE 256u

struct jit_switch_tree {
	uint32_t root;
	uint8_t reg;
	bool cmp64;            /* some node compares 64 bits */
	uint32_t range;        /* the table covers values [0, range) */
	uint32_t *leaf;        /* [range]: the instruction the tree reaches */
};

struct jit_idioms {
	int32_t *loop_at;      /* [cnt]: index in loops of the loop whose head is here, or -1 */
	int32_t *tree_at;      /* [cnt]: index in trees of the tree rooted here, or -1 */
	struct jit_copy_loop *loops;
	size_t nr_loops;
	struct jit_switch_tree *trees;
	size_t nr_trees;
};

/* Finds the idioms of unchecked code. `is_target` ([cnt + 1]) marks the
 * instructions some jump or call lands on. Returns 0 or -ENOMEM. */
int jit_idiom_find(const struct bpf_insn *insns, size_t cnt, const uint8_t *is_target,
		   struct jit_idioms *out);
void jit_idiom_release(struct jit_idioms *idioms);

/* Emits the guarded `rep movsb` version of `loop`, reading the eBPF
 * registers through reg_map. When a guard fails the code continues right
 * after what this emits, where the translator puts the plain loop. Returns
 * the offset of the rel32 of the jump to loop->exit_insn. */
size_t jit_idiom_emit_copy(struct x86_buf *b, const struct jit_copy_loop *loop,
			   const uint8_t reg_map[ISA_NR_REGS]);

/* Emits the table dispatch of `tree`: values outside [0, range) continue
 * right after what this emits, where the translator puts the root's own
 * code. The table (range entries of rel32, each relative to its own end)
 * is part of the code; returns its offset: entry v must be patched like a
 * jump's rel32 to the code of tree->leaf[v]. */
size_t jit_idiom_emit_switch(struct x86_buf *b, const struct jit_switch_tree *tree,
			     const uint8_t reg_map[ISA_NR_REGS]);

#endif
