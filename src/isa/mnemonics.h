/* SPDX-License-Identifier: MIT */
/*
 * The one table of instruction mnemonics, read by both the assembler and the
 * disassembler so that what one prints the other reads back to the same
 * bytes. Syntax: the conformance vectors' (`docs/assembly.md`).
 */
#ifndef UEBPF_ISA_MNEMONICS_H
#define UEBPF_ISA_MNEMONICS_H

#include "isa/isa.h"

/* Operand shape of a mnemonic; decides how operands are parsed and printed. */
enum isa_form {
	ISA_FORM_ALU,     /* op %rD, %rS|imm32 */
	ISA_FORM_MOVSX,   /* movsxNNMM %rD, %rS */
	ISA_FORM_NEG,     /* neg %rD */
	ISA_FORM_ENDIAN,  /* le16 %rD (width in the table's imm) */
	ISA_FORM_LDDW,    /* lddw %rD, imm64 | pseudo-kind value[+imm] */
	ISA_FORM_LDX,     /* ldxw %rD, [%rS+off] */
	ISA_FORM_ST,      /* stw [%rD+off], imm32 */
	ISA_FORM_STX,     /* stxw [%rD+off], %rS */
	ISA_FORM_ATOMIC,  /* lock [fetch] op [%rD+off], %rS (operation in imm) */
	ISA_FORM_LDABS,   /* ldabsw imm32 */
	ISA_FORM_LDIND,   /* ldindw %rS, imm32 */
	ISA_FORM_JA,      /* ja target (16-bit offset) */
	ISA_FORM_GOTOL,   /* ja32 target (32-bit offset in imm) */
	ISA_FORM_JCOND,   /* jeq %rD, %rS|imm32, target */
	ISA_FORM_CALL,    /* call imm32 | call %rD | call local target */
	ISA_FORM_EXIT,    /* exit */
};

struct isa_mnemonic {
	const char *name;
	enum isa_form form;
	/* Opcode; for ALU and JCOND forms without the BPF_X bit, which the
	 * operand (register or immediate) decides. */
	uint8_t code;
	int16_t off;      /* fixed offset: 1 for sdiv/smod, 8/16/32 for movsx */
	int32_t imm;      /* fixed imm: width of byte swaps, atomic operation */
	bool alias;       /* read by the assembler, never printed */
};

/* The entry spelled `name` (atomics are spelled with their prefix words,
 * e.g. "lock fetch add32"), or NULL. */
const struct isa_mnemonic *isa_mnemonic_by_name(const char *name);

/* The printed (non-alias) entry whose opcode, and fixed offset or imm where
 * the form has one, match `insn`; NULL when none does. Other fields are not
 * looked at: the caller decides whether the encoding is valid. */
const struct isa_mnemonic *isa_mnemonic_for_insn(const struct bpf_insn *insn);

/* Number of comma-separated operands the form takes. */
unsigned isa_form_operand_count(enum isa_form form);

/* Spelling of a lddw pseudo source (`map_fd` for src_reg 1 ...), NULL for
 * src_reg 0 or unknown kinds; and the reverse look-up (-1 when unknown). */
const char *isa_lddw_kind_name(unsigned src_reg);
int isa_lddw_kind_by_name(const char *name);

/* Kinds whose second imm is part of the value (map_value 5+8): printed
 * always, even when 0. */
static inline bool isa_lddw_kind_has_offset(unsigned src_reg)
{
	return src_reg == BPF_PSEUDO_MAP_VALUE || src_reg == BPF_PSEUDO_MAP_IDX_VALUE;
}

/* The raw 64-bit little-endian word of one slot, as `.insn` and the raw
 * sections of conformance vectors write it, and back. */
uint64_t isa_insn_to_word(const struct bpf_insn *insn);
struct bpf_insn isa_insn_from_word(uint64_t word);

#endif /* UEBPF_ISA_MNEMONICS_H */
