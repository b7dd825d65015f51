/* SPDX-License-Identifier: MIT */
/*
 * The interpreter's decoded form, shared by the decoder (decode.c) and the
 * two instances of the dispatch loop (loop_checked.c, loop_unchecked.c, both
 * generated from loop.h).
 *
 * One 16-byte record per instruction slot, so record i is instruction i:
 * jump offsets of the original encoding are record offsets, and a fault's
 * instruction index is `pc - base`. The record keeps the fields of the
 * instruction but replaces the opcode by the address of its handler (direct
 * threading); operand variants that need no runtime test are picked at
 * decode time (shift counts masked, division by an immediate 0 or -1 turned
 * into a move or a negation).
 */
#ifndef UEBPF_INTERP_INTERNAL_H
#define UEBPF_INTERP_INTERNAL_H

#include "interp/interp.h"

#define INTERP_ALU_OPS(X) \
	X(ADD) X(SUB) X(MUL) X(DIV) X(SDIV) X(MOD) X(SMOD) \
	X(OR) X(AND) X(LSH) X(RSH) X(ARSH) X(XOR) X(MOV)

#define INTERP_JMP_OPS(X) \
	X(JEQ) X(JNE) X(JGT) X(JGE) X(JLT) X(JLE) \
	X(JSGT) X(JSGE) X(JSLT) X(JSLE) X(JSET)

/* FADD..FXOR are the BPF_FETCH forms. */
#define INTERP_ATOMIC_OPS(X) \
	X(ADD) X(OR) X(AND) X(XOR) X(FADD) X(FOR) X(FAND) X(FXOR) X(XCHG) X(CMPXCHG)

#define INTERP_OTHER_OPS(X) \
	X(NEG64) X(NEG32) \
	X(MOVSX64_8) X(MOVSX64_16) X(MOVSX64_32) X(MOVSX32_8) X(MOVSX32_16) \
	X(ZEXT16) X(ZEXT32) X(BSWAP16) X(BSWAP32) X(BSWAP64) X(NOP) \
	X(LDDW) X(LDDW_SLOT2) \
	X(LD_ABS_B) X(LD_ABS_H) X(LD_ABS_W) X(LD_IND_B) X(LD_IND_H) X(LD_IND_W) \
	X(LDX_B) X(LDX_H) X(LDX_W) X(LDX_DW) X(LDXS_B) X(LDXS_H) X(LDXS_W) \
	X(ST_B) X(ST_H) X(ST_W) X(ST_DW) X(STX_B) X(STX_H) X(STX_W) X(STX_DW) \
	X(JA) X(CALL_HELPER) X(CALL_LOCAL) X(CALLX) X(EXIT)

enum interp_op {
#define INTERP_ALU_ENUM(n) IOP_##n##64_K, IOP_##n##64_X, IOP_##n##32_K, IOP_##n##32_X,
	INTERP_ALU_OPS(INTERP_ALU_ENUM)
	INTERP_JMP_OPS(INTERP_ALU_ENUM)
#undef INTERP_ALU_ENUM
#define INTERP_ATOMIC_ENUM(n) IOP_A32_##n, IOP_A64_##n,
	INTERP_ATOMIC_OPS(INTERP_ATOMIC_ENUM)
#undef INTERP_ATOMIC_ENUM
#define INTERP_OTHER_ENUM(n) IOP_##n,
	INTERP_OTHER_OPS(INTERP_OTHER_ENUM)
#undef INTERP_OTHER_ENUM
	IOP__COUNT
};

struct irec {
	const void *handler;
	union {
		struct {
			uint8_t dst, src;
			int16_t off;
			int32_t imm;     /* ja/gotol/local call: the record offset */
		};
		uint64_t value;          /* second slot of a lddw: the constant */
		uebpf_helper_fn fn;      /* helper call, resolved at decode time */
	};
};

_Static_assert(sizeof(struct irec) == 16, "records are 16 bytes");

struct interp_image {
	size_t cnt;
	struct irec *code[2];            /* [checked]: same records, other handlers */
	const struct uebpf_helper_set *helpers; /* for callx */
	uint8_t *is_func_entry;          /* [insn]: a local call or lddw src=4 target */
};

enum interp_fault_kind {
	IFAULT_ACCESS,          /* addr/size/write */
	IFAULT_MISALIGNED,      /* atomic at addr/size */
	IFAULT_BUDGET,          /* addr = the budget */
	IFAULT_DEPTH,
	IFAULT_CALLX,           /* addr = the register's value */
	IFAULT_BAD_SLOT,        /* executed the second half of a lddw */
};

struct interp_fault {
	enum interp_fault_kind kind;
	size_t insn;
	uint64_t addr;
	uint32_t size;
	bool write;
};

/* Where a loop instance starts: the program's entry (record 0, r10 at the
 * top of the stack) or a callback (run_ctx_call: a sub-program entry, on a
 * frame below the caller's). */
struct interp_entry {
	size_t pc;                       /* record to start at */
	uint64_t args[5];                /* r1..r5 */
	uint64_t fp;                     /* r10 */
	unsigned max_depth;              /* frames this instance may use, its first included */
};

/* The dispatch loop. Called with `labels_out` non-NULL it only stores its
 * handler table (indexed by enum interp_op) there, so the decoder can
 * thread records for it. Otherwise runs from `entry`; returns 0 and r0 in
 * *ret, or a negative errno with `fault` filled. */
typedef int interp_loop_fn(const struct interp_image *image, struct uebpf_run_ctx *rc,
			   const struct interp_entry *entry, uint64_t *ret,
			   struct interp_fault *fault, const void *const **labels_out);

interp_loop_fn interp_loop_checked;
interp_loop_fn interp_loop_unchecked;

#endif
