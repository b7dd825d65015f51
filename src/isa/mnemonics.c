/* SPDX-License-Identifier: MIT */
#include "isa/mnemonics.h"

#include <string.h>

#define ALU64(name, op) { name, ISA_FORM_ALU, BPF_ALU64 | (op), 0, 0, false }
#define ALU32(name, op) { name, ISA_FORM_ALU, BPF_ALU | (op), 0, 0, false }
/* Signed division and modulo are the unsigned opcodes with offset 1 (v4). */
#define SALU64(name, op) { name, ISA_FORM_ALU, BPF_ALU64 | (op), 1, 0, false }
#define SALU32(name, op) { name, ISA_FORM_ALU, BPF_ALU | (op), 1, 0, false }
#define MOVSX(name, cls, bits) { name, ISA_FORM_MOVSX, (cls) | BPF_MOV | BPF_X, bits, 0, false }
#define ENDIAN(name, code, bits, alias) { name, ISA_FORM_ENDIAN, code, 0, bits, alias }
#define MEM(name, form, code) { name, form, code, 0, 0, false }
#define ATOMIC(name, size, op) { name, ISA_FORM_ATOMIC, BPF_STX | BPF_ATOMIC | (size), 0, op, false }
#define JCOND(name, op) { name, ISA_FORM_JCOND, BPF_JMP | (op), 0, 0, false }, \
			{ name "32", ISA_FORM_JCOND, BPF_JMP32 | (op), 0, 0, false }

static const struct isa_mnemonic mnemonics[] = {
	ALU64("add", BPF_ADD),   ALU32("add32", BPF_ADD),
	ALU64("sub", BPF_SUB),   ALU32("sub32", BPF_SUB),
	ALU64("mul", BPF_MUL),   ALU32("mul32", BPF_MUL),
	ALU64("div", BPF_DIV),   ALU32("div32", BPF_DIV),
	SALU64("sdiv", BPF_DIV), SALU32("sdiv32", BPF_DIV),
	ALU64("or", BPF_OR),     ALU32("or32", BPF_OR),
	ALU64("and", BPF_AND),   ALU32("and32", BPF_AND),
	ALU64("lsh", BPF_LSH),   ALU32("lsh32", BPF_LSH),
	ALU64("rsh", BPF_RSH),   ALU32("rsh32", BPF_RSH),
	ALU64("mod", BPF_MOD),   ALU32("mod32", BPF_MOD),
	SALU64("smod", BPF_MOD), SALU32("smod32", BPF_MOD),
	ALU64("xor", BPF_XOR),   ALU32("xor32", BPF_XOR),
	ALU64("mov", BPF_MOV),   ALU32("mov32", BPF_MOV),
	ALU64("arsh", BPF_ARSH), ALU32("arsh32", BPF_ARSH),
	{ "neg", ISA_FORM_NEG, BPF_ALU64 | BPF_NEG, 0, 0, false },
	{ "neg32", ISA_FORM_NEG, BPF_ALU | BPF_NEG, 0, 0, false },

	/* movsx<source bits><destination bits> */
	MOVSX("movsx832", BPF_ALU, 8),    MOVSX("movsx1632", BPF_ALU, 16),
	MOVSX("movsx864", BPF_ALU64, 8),  MOVSX("movsx1664", BPF_ALU64, 16),
	MOVSX("movsx3264", BPF_ALU64, 32),

	ENDIAN("le16", BPF_ALU | BPF_END | BPF_TO_LE, 16, false),
	ENDIAN("le32", BPF_ALU | BPF_END | BPF_TO_LE, 32, false),
	ENDIAN("le64", BPF_ALU | BPF_END | BPF_TO_LE, 64, false),
	ENDIAN("be16", BPF_ALU | BPF_END | BPF_TO_BE, 16, false),
	ENDIAN("be32", BPF_ALU | BPF_END | BPF_TO_BE, 32, false),
	ENDIAN("be64", BPF_ALU | BPF_END | BPF_TO_BE, 64, false),
	/* Unconditional swap (v4) is the ALU64 class of the `le` opcode. */
	ENDIAN("bswap16", BPF_ALU64 | BPF_END | BPF_TO_LE, 16, false),
	ENDIAN("bswap32", BPF_ALU64 | BPF_END | BPF_TO_LE, 32, false),
	ENDIAN("bswap64", BPF_ALU64 | BPF_END | BPF_TO_LE, 64, false),
	/* the older vectors' spelling */
	ENDIAN("swap16", BPF_ALU64 | BPF_END | BPF_TO_LE, 16, true),
	ENDIAN("swap32", BPF_ALU64 | BPF_END | BPF_TO_LE, 32, true),
	ENDIAN("swap64", BPF_ALU64 | BPF_END | BPF_TO_LE, 64, true),

	MEM("lddw", ISA_FORM_LDDW, BPF_LD | BPF_IMM | BPF_DW),

	MEM("ldxb", ISA_FORM_LDX, BPF_LDX | BPF_MEM | BPF_B),
	MEM("ldxh", ISA_FORM_LDX, BPF_LDX | BPF_MEM | BPF_H),
	MEM("ldxw", ISA_FORM_LDX, BPF_LDX | BPF_MEM | BPF_W),
	MEM("ldxdw", ISA_FORM_LDX, BPF_LDX | BPF_MEM | BPF_DW),
	MEM("ldxsb", ISA_FORM_LDX, BPF_LDX | BPF_MEMSX | BPF_B),
	MEM("ldxsh", ISA_FORM_LDX, BPF_LDX | BPF_MEMSX | BPF_H),
	MEM("ldxsw", ISA_FORM_LDX, BPF_LDX | BPF_MEMSX | BPF_W),

	MEM("stb", ISA_FORM_ST, BPF_ST | BPF_MEM | BPF_B),
	MEM("sth", ISA_FORM_ST, BPF_ST | BPF_MEM | BPF_H),
	MEM("stw", ISA_FORM_ST, BPF_ST | BPF_MEM | BPF_W),
	MEM("stdw", ISA_FORM_ST, BPF_ST | BPF_MEM | BPF_DW),

	MEM("stxb", ISA_FORM_STX, BPF_STX | BPF_MEM | BPF_B),
	MEM("stxh", ISA_FORM_STX, BPF_STX | BPF_MEM | BPF_H),
	MEM("stxw", ISA_FORM_STX, BPF_STX | BPF_MEM | BPF_W),
	MEM("stxdw", ISA_FORM_STX, BPF_STX | BPF_MEM | BPF_DW),

	ATOMIC("lock add", BPF_DW, BPF_ADD),
	ATOMIC("lock add32", BPF_W, BPF_ADD),
	ATOMIC("lock or", BPF_DW, BPF_OR),
	ATOMIC("lock or32", BPF_W, BPF_OR),
	ATOMIC("lock and", BPF_DW, BPF_AND),
	ATOMIC("lock and32", BPF_W, BPF_AND),
	ATOMIC("lock xor", BPF_DW, BPF_XOR),
	ATOMIC("lock xor32", BPF_W, BPF_XOR),
	ATOMIC("lock fetch add", BPF_DW, BPF_ADD | BPF_FETCH),
	ATOMIC("lock fetch add32", BPF_W, BPF_ADD | BPF_FETCH),
	ATOMIC("lock fetch or", BPF_DW, BPF_OR | BPF_FETCH),
	ATOMIC("lock fetch or32", BPF_W, BPF_OR | BPF_FETCH),
	ATOMIC("lock fetch and", BPF_DW, BPF_AND | BPF_FETCH),
	ATOMIC("lock fetch and32", BPF_W, BPF_AND | BPF_FETCH),
	ATOMIC("lock fetch xor", BPF_DW, BPF_XOR | BPF_FETCH),
	ATOMIC("lock fetch xor32", BPF_W, BPF_XOR | BPF_FETCH),
	ATOMIC("lock xchg", BPF_DW, BPF_XCHG),
	ATOMIC("lock xchg32", BPF_W, BPF_XCHG),
	ATOMIC("lock cmpxchg", BPF_DW, BPF_CMPXCHG),
	ATOMIC("lock cmpxchg32", BPF_W, BPF_CMPXCHG),

	/* Legacy packet loads (BPF_LD | BPF_ABS/BPF_IND). */
	MEM("ldabsb", ISA_FORM_LDABS, BPF_LD | BPF_ABS | BPF_B),
	MEM("ldabsh", ISA_FORM_LDABS, BPF_LD | BPF_ABS | BPF_H),
	MEM("ldabsw", ISA_FORM_LDABS, BPF_LD | BPF_ABS | BPF_W),
	MEM("ldindb", ISA_FORM_LDIND, BPF_LD | BPF_IND | BPF_B),
	MEM("ldindh", ISA_FORM_LDIND, BPF_LD | BPF_IND | BPF_H),
	MEM("ldindw", ISA_FORM_LDIND, BPF_LD | BPF_IND | BPF_W),

	{ "ja", ISA_FORM_JA, BPF_JMP | BPF_JA, 0, 0, false },
	{ "ja32", ISA_FORM_GOTOL, BPF_JMP32 | BPF_JA, 0, 0, false },
	{ "gotol", ISA_FORM_GOTOL, BPF_JMP32 | BPF_JA, 0, 0, true },
	JCOND("jeq", BPF_JEQ),   JCOND("jne", BPF_JNE),   JCOND("jset", BPF_JSET),
	JCOND("jgt", BPF_JGT),   JCOND("jge", BPF_JGE),
	JCOND("jlt", BPF_JLT),   JCOND("jle", BPF_JLE),
	JCOND("jsgt", BPF_JSGT), JCOND("jsge", BPF_JSGE),
	JCOND("jslt", BPF_JSLT), JCOND("jsle", BPF_JSLE),
	{ "call", ISA_FORM_CALL, BPF_JMP | BPF_CALL, 0, 0, false },
	{ "exit", ISA_FORM_EXIT, BPF_JMP | BPF_EXIT, 0, 0, false },
};

#define NR_MNEMONICS (sizeof(mnemonics) / sizeof(mnemonics[0]))

const struct isa_mnemonic *isa_mnemonic_by_name(const char *name)
{
	for (size_t i = 0; i < NR_MNEMONICS; i++)
		if (!strcmp(mnemonics[i].name, name))
			return &mnemonics[i];
	return NULL;
}

static bool matches(const struct isa_mnemonic *m, const struct bpf_insn *insn)
{
	switch (m->form) {
	case ISA_FORM_ALU:
		/* mov with a register and offset 8/16/32 is movsx, not mov */
		return (insn->code & ~BPF_X) == m->code && insn->off == m->off;
	case ISA_FORM_JCOND:
		return (insn->code & ~BPF_X) == m->code;
	case ISA_FORM_CALL:
		return (insn->code & ~BPF_X) == m->code;
	case ISA_FORM_MOVSX:
		return insn->code == m->code && insn->off == m->off;
	case ISA_FORM_ENDIAN:
	case ISA_FORM_ATOMIC:
		return insn->code == m->code && insn->imm == m->imm;
	default:
		return insn->code == m->code;
	}
}

const struct isa_mnemonic *isa_mnemonic_for_insn(const struct bpf_insn *insn)
{
	for (size_t i = 0; i < NR_MNEMONICS; i++)
		if (!mnemonics[i].alias && matches(&mnemonics[i], insn))
			return &mnemonics[i];
	return NULL;
}

unsigned isa_form_operand_count(enum isa_form form)
{
	switch (form) {
	case ISA_FORM_EXIT:
		return 0;
	case ISA_FORM_NEG:
	case ISA_FORM_ENDIAN:
	case ISA_FORM_LDABS:
	case ISA_FORM_JA:
	case ISA_FORM_GOTOL:
	case ISA_FORM_CALL:
		return 1;
	case ISA_FORM_JCOND:
		return 3;
	default:
		return 2;
	}
}

static const char *const lddw_kinds[] = {
	[BPF_PSEUDO_MAP_FD] = "map_fd",
	[BPF_PSEUDO_MAP_VALUE] = "map_value",
	[BPF_PSEUDO_BTF_ID] = "btf_id",
	[BPF_PSEUDO_FUNC] = "func",
	[BPF_PSEUDO_MAP_IDX] = "map_idx",
	[BPF_PSEUDO_MAP_IDX_VALUE] = "map_idx_value",
};

const char *isa_lddw_kind_name(unsigned src_reg)
{
	if (src_reg >= sizeof(lddw_kinds) / sizeof(lddw_kinds[0]))
		return NULL;
	return lddw_kinds[src_reg];
}

int isa_lddw_kind_by_name(const char *name)
{
	for (unsigned i = 1; i < sizeof(lddw_kinds) / sizeof(lddw_kinds[0]); i++)
		if (lddw_kinds[i] && !strcmp(lddw_kinds[i], name))
			return (int)i;
	return -1;
}

uint64_t isa_insn_to_word(const struct bpf_insn *insn)
{
	return (uint64_t)insn->code | (uint64_t)insn->dst_reg << 8 |
	       (uint64_t)insn->src_reg << 12 | (uint64_t)(uint16_t)insn->off << 16 |
	       (uint64_t)(uint32_t)insn->imm << 32;
}

struct bpf_insn isa_insn_from_word(uint64_t word)
{
	struct bpf_insn insn = {
		.code = (uint8_t)word,
		.dst_reg = (word >> 8) & 0xf,
		.src_reg = (word >> 12) & 0xf,
		.off = (int16_t)(uint16_t)(word >> 16),
		.imm = (int32_t)(uint32_t)(word >> 32),
	};

	return insn;
}
