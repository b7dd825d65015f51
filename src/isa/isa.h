/* SPDX-License-Identifier: MIT */
/*
 * The one definition of the eBPF instruction encoding (RFC 9669) shared by
 * the assembler, disassembler, verifier and both engines.
 *
 * Constants come from <linux/bpf.h> so they match libbpf and the kernel;
 * the ones Debian 12's headers predate (v4 additions) are defined here.
 */
#ifndef UEBPF_ISA_H
#define UEBPF_ISA_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uebpf/uebpf.h"

#ifndef BPF_JMP32
#define BPF_JMP32 0x06
#endif
#ifndef BPF_MEMSX
#define BPF_MEMSX 0x80          /* sign-extending load (v4) */
#endif
#ifndef BPF_TO_LE
#define BPF_TO_LE 0x00
#endif
#ifndef BPF_TO_BE
#define BPF_TO_BE 0x08
#endif
#ifndef BPF_PSEUDO_MAP_IDX
#define BPF_PSEUDO_MAP_IDX 5
#endif
#ifndef BPF_PSEUDO_MAP_IDX_VALUE
#define BPF_PSEUDO_MAP_IDX_VALUE 6
#endif
#ifndef BPF_PSEUDO_KFUNC_CALL
#define BPF_PSEUDO_KFUNC_CALL 2
#endif

#define ISA_NR_REGS 11          /* r0..r10 */
#define ISA_REG_FP 10

/* Opcode fields. */
static inline uint8_t isa_class(uint8_t code) { return code & 0x07; }
static inline uint8_t isa_op(uint8_t code) { return code & 0xf0; }        /* ALU/JMP op */
static inline uint8_t isa_src(uint8_t code) { return code & 0x08; }       /* BPF_K / BPF_X */
static inline uint8_t isa_size(uint8_t code) { return code & 0x18; }      /* LD/ST size */
static inline uint8_t isa_mode(uint8_t code) { return code & 0xe0; }      /* LD/ST mode */

static inline bool isa_is_alu(uint8_t code)
{
	return isa_class(code) == BPF_ALU || isa_class(code) == BPF_ALU64;
}

static inline bool isa_is_jmp(uint8_t code)
{
	return isa_class(code) == BPF_JMP || isa_class(code) == BPF_JMP32;
}

static inline bool isa_is_lddw(const struct bpf_insn *insn)
{
	return insn->code == (BPF_LD | BPF_IMM | BPF_DW);
}

static inline int64_t isa_lddw_imm(const struct bpf_insn *insn)
{
	return (int64_t)(((uint64_t)(uint32_t)insn[1].imm << 32) |
			 (uint32_t)insn[0].imm);
}

/* Bytes accessed by a LD/LDX/ST/STX size field. */
static inline unsigned isa_size_bytes(uint8_t code)
{
	switch (isa_size(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

static inline bool isa_is_cond_jmp(uint8_t code)
{
	if (!isa_is_jmp(code))
		return false;
	switch (isa_op(code)) {
	case BPF_JA: case BPF_CALL: case BPF_EXIT:
		return false;
	default:
		return true;
	}
}

/* The conditional jump op taken exactly when `op` is not; 0 for BPF_JSET,
 * which has no negation among the jumps. */
static inline uint8_t isa_jmp_negate(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return BPF_JNE;
	case BPF_JNE: return BPF_JEQ;
	case BPF_JGT: return BPF_JLE;
	case BPF_JLE: return BPF_JGT;
	case BPF_JGE: return BPF_JLT;
	case BPF_JLT: return BPF_JGE;
	case BPF_JSGT: return BPF_JSLE;
	case BPF_JSLE: return BPF_JSGT;
	case BPF_JSGE: return BPF_JSLT;
	case BPF_JSLT: return BPF_JSGE;
	default: return 0;
	}
}

/* Whether the conditional jump `op` is taken for the operands a and b,
 * compared as the instruction compares them: their low 32 bits for
 * BPF_JMP32 (is32), signed ops in two's complement. */
static inline bool isa_jmp_taken(uint8_t op, bool is32, uint64_t a, uint64_t b)
{
	int64_t sa, sb;

	if (is32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	sa = is32 ? (int32_t)(uint32_t)a : (int64_t)a;
	sb = is32 ? (int32_t)(uint32_t)b : (int64_t)b;
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSGT: return sa > sb;
	case BPF_JSGE: return sa >= sb;
	case BPF_JSLT: return sa < sb;
	case BPF_JSLE: return sa <= sb;
	case BPF_JSET: return (a & b) != 0;
	default: return false;
	}
}

static inline bool isa_is_ja(uint8_t code)
{
	return code == (BPF_JMP | BPF_JA) || code == (BPF_JMP32 | BPF_JA);
}

static inline bool isa_is_exit(uint8_t code) { return code == (BPF_JMP | BPF_EXIT); }

static inline bool isa_is_helper_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == 0;
}

static inline bool isa_is_local_call(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL) && insn->src_reg == BPF_PSEUDO_CALL;
}

static inline bool isa_is_callx(const struct bpf_insn *insn)
{
	return insn->code == (BPF_JMP | BPF_CALL | BPF_X);
}

/* Legacy packet loads: BPF_LD | BPF_ABS/BPF_IND | size. */
static inline bool isa_is_ld_pkt(uint8_t code)
{
	return isa_class(code) == BPF_LD &&
	       (isa_mode(code) == BPF_ABS || isa_mode(code) == BPF_IND);
}

/* Target index of a jump (JA, gotol, conditional) or local call at `idx`. */
static inline int64_t isa_branch_target(const struct bpf_insn *insn, size_t idx)
{
	if (insn->code == (BPF_JMP32 | BPF_JA) || isa_is_local_call(insn))
		return (int64_t)idx + 1 + insn->imm;
	return (int64_t)idx + 1 + insn->off;
}

/* Checks one instruction against the encoding rules: known opcode, valid
 * registers, unused fields zero, lddw well formed (`next` is the following
 * slot or NULL at the end). Returns 0, or -EINVAL and a reason in `why`. */
int isa_check_encoding(const struct bpf_insn *insn, const struct bpf_insn *next,
		       char *why, size_t why_len);

/* Checks a whole program's structure: non-empty, every instruction encoded
 * correctly, jumps and local calls landing on an instruction start inside
 * the program, no path falling off the end. Errors name the instruction. */
int isa_validate_prog(const struct bpf_insn *insns, size_t cnt,
		      struct uebpf_error *err);

/* Disassembles instruction `idx` (both slots of a lddw) in the syntax the
 * assembler reads; jump targets are printed as relative offsets (`+N`).
 * Returns the number of characters written, as snprintf does. */
int isa_format_insn(const struct bpf_insn *insns, size_t cnt, size_t idx,
		    char *buf, size_t len);

#endif /* UEBPF_ISA_H */
