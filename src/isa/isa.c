/* SPDX-License-Identifier: MIT */
#include "isa/isa.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/error.h"

static int bad(char *why, size_t why_len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	if (why && why_len) {
		va_start(ap, fmt);
		vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

#define BAD(...) bad(why, why_len, __VA_ARGS__)

static int check_regs(const struct bpf_insn *insn, char *why, size_t why_len)
{
	if (insn->dst_reg >= ISA_NR_REGS)
		return BAD("invalid destination register r%u", insn->dst_reg);
	if (insn->src_reg >= ISA_NR_REGS)
		return BAD("invalid source register r%u", insn->src_reg);
	return 0;
}

static int check_alu(const struct bpf_insn *insn, char *why, size_t why_len)
{
	bool is64 = isa_class(insn->code) == BPF_ALU64;
	bool reg = isa_src(insn->code) == BPF_X;
	uint8_t op = isa_op(insn->code);

	if (insn->dst_reg == ISA_REG_FP)
		return BAD("r10 is the read-only frame pointer");

	switch (op) {
	case BPF_ADD: case BPF_SUB: case BPF_MUL: case BPF_OR: case BPF_AND:
	case BPF_LSH: case BPF_RSH: case BPF_XOR: case BPF_ARSH:
		if (insn->off != 0)
			return BAD("offset must be 0");
		break;
	case BPF_DIV: case BPF_MOD:
		if (insn->off != 0 && insn->off != 1)
			return BAD("offset must be 0 (unsigned) or 1 (signed)");
		break;
	case BPF_MOV:
		if (!reg && insn->off != 0)
			return BAD("offset must be 0");
		if (reg && insn->off != 0 && insn->off != 8 && insn->off != 16 &&
		    !(is64 && insn->off == 32))
			return BAD("movsx offset must be 8, 16%s", is64 ? " or 32" : "");
		break;
	case BPF_NEG:
		if (reg)
			return BAD("neg takes no source operand");
		if (insn->src_reg || insn->off || insn->imm)
			return BAD("neg must have src, offset and imm 0");
		return 0;
	case BPF_END:
		if (is64 && reg)
			return BAD("reserved byte-swap encoding");
		if (insn->src_reg || insn->off)
			return BAD("byte swap must have src and offset 0");
		if (insn->imm != 16 && insn->imm != 32 && insn->imm != 64)
			return BAD("byte swap width must be 16, 32 or 64, not %d", insn->imm);
		return 0;
	default:
		return BAD("unknown ALU operation 0x%02x", op);
	}
	if (reg && insn->imm != 0)
		return BAD("imm must be 0 with a register source");
	if (!reg && insn->src_reg != 0)
		return BAD("src must be 0 with an immediate source");
	return 0;
}

static int check_jmp(const struct bpf_insn *insn, char *why, size_t why_len)
{
	bool is32 = isa_class(insn->code) == BPF_JMP32;
	bool reg = isa_src(insn->code) == BPF_X;
	uint8_t op = isa_op(insn->code);

	switch (op) {
	case BPF_JA:
		if (reg || insn->src_reg || insn->dst_reg)
			return BAD("ja must have src and dst 0");
		if (is32 ? insn->off != 0 : insn->imm != 0)
			return BAD(is32 ? "gotol must have offset 0" : "ja must have imm 0");
		return 0;
	case BPF_CALL:
		if (is32)
			return BAD("call is not a JMP32 operation");
		if (insn->off)
			return BAD("call must have offset 0");
		if (reg) {
			if (insn->src_reg || insn->imm)
				return BAD("callx must have src and imm 0");
			return 0;
		}
		if (insn->dst_reg)
			return BAD("call must have dst 0");
		if (insn->src_reg == BPF_PSEUDO_KFUNC_CALL)
			return BAD("kfunc calls are not supported");
		if (insn->src_reg != 0 && insn->src_reg != BPF_PSEUDO_CALL)
			return BAD("unknown call kind src=%u", insn->src_reg);
		return 0;
	case BPF_EXIT:
		if (is32 || reg)
			return BAD("exit must be BPF_JMP|BPF_EXIT");
		if (insn->src_reg || insn->dst_reg || insn->off || insn->imm)
			return BAD("exit must have all fields 0");
		return 0;
	case BPF_JEQ: case BPF_JGT: case BPF_JGE: case BPF_JSET: case BPF_JNE:
	case BPF_JSGT: case BPF_JSGE: case BPF_JLT: case BPF_JLE: case BPF_JSLT:
	case BPF_JSLE:
		if (reg && insn->imm)
			return BAD("imm must be 0 with a register source");
		if (!reg && insn->src_reg)
			return BAD("src must be 0 with an immediate source");
		return 0;
	default:
		return BAD("unknown jump operation 0x%02x", op);
	}
}

static int check_lddw(const struct bpf_insn *insn, const struct bpf_insn *next,
		      char *why, size_t why_len)
{
	if (insn->dst_reg == ISA_REG_FP)
		return BAD("r10 is the read-only frame pointer");
	if (insn->off)
		return BAD("lddw must have offset 0");
	if (insn->src_reg > BPF_PSEUDO_MAP_IDX_VALUE)
		return BAD("unknown lddw kind src=%u", insn->src_reg);
	if (!next)
		return BAD("lddw is cut in half: its second slot is missing");
	if (next->code || next->dst_reg || next->src_reg || next->off)
		return BAD("second slot of lddw must have code, registers and offset 0");
	return 0;
}

static int check_ld(const struct bpf_insn *insn, const struct bpf_insn *next,
		    char *why, size_t why_len)
{
	uint8_t mode = isa_mode(insn->code);

	if (isa_is_lddw(insn))
		return check_lddw(insn, next, why, why_len);
	if (mode != BPF_ABS && mode != BPF_IND)
		return BAD("unknown load opcode 0x%02x", insn->code);
	if (isa_size(insn->code) == BPF_DW)
		return BAD("legacy packet loads take 1, 2 or 4 bytes");
	if (insn->dst_reg || insn->off)
		return BAD("legacy packet load must have dst and offset 0");
	if (mode == BPF_ABS && insn->src_reg)
		return BAD("ld_abs must have src 0");
	return 0;
}

static int check_mem(const struct bpf_insn *insn, char *why, size_t why_len)
{
	uint8_t cls = isa_class(insn->code);
	uint8_t mode = isa_mode(insn->code);

	switch (cls) {
	case BPF_LDX:
		if (mode != BPF_MEM && !(mode == BPF_MEMSX && isa_size(insn->code) != BPF_DW))
			return BAD("unknown load opcode 0x%02x", insn->code);
		if (insn->imm)
			return BAD("load must have imm 0");
		if (insn->dst_reg == ISA_REG_FP)
			return BAD("r10 is the read-only frame pointer");
		return 0;
	case BPF_ST:
		if (mode != BPF_MEM)
			return BAD("unknown store opcode 0x%02x", insn->code);
		if (insn->src_reg)
			return BAD("store of an immediate must have src 0");
		return 0;
	default: /* BPF_STX */
		if (mode == BPF_MEM) {
			if (insn->imm)
				return BAD("store must have imm 0");
			return 0;
		}
		if (mode != BPF_ATOMIC)
			return BAD("unknown store opcode 0x%02x", insn->code);
		if (isa_size(insn->code) != BPF_W && isa_size(insn->code) != BPF_DW)
			return BAD("atomic operations take 4 or 8 bytes");
		switch (insn->imm) {
		case BPF_ADD: case BPF_OR: case BPF_AND: case BPF_XOR:
			return 0;
		case BPF_ADD | BPF_FETCH: case BPF_OR | BPF_FETCH:
		case BPF_AND | BPF_FETCH: case BPF_XOR | BPF_FETCH:
		case BPF_XCHG: case BPF_CMPXCHG:
			if (insn->src_reg == ISA_REG_FP && insn->imm != BPF_CMPXCHG)
				return BAD("r10 is the read-only frame pointer");
			return 0;
		default:
			return BAD("unknown atomic operation 0x%x", (unsigned)insn->imm);
		}
	}
}

int isa_check_encoding(const struct bpf_insn *insn, const struct bpf_insn *next,
		       char *why, size_t why_len)
{
	int ret = check_regs(insn, why, why_len);

	if (ret)
		return ret;
	switch (isa_class(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		return check_alu(insn, why, why_len);
	case BPF_JMP:
	case BPF_JMP32:
		return check_jmp(insn, why, why_len);
	case BPF_LD:
		return check_ld(insn, next, why, why_len);
	default:
		return check_mem(insn, why, why_len);
	}
}

static int insn_error(struct uebpf_error *err, const struct bpf_insn *insns,
		      size_t cnt, size_t idx, const char *why)
{
	char text[96];

	isa_format_insn(insns, cnt, idx, text, sizeof(text));
	return uebpf_err(err, -EINVAL, "insn %zu (%s, bytes %02x %02x %04x %08x): %s",
			 idx, text, insns[idx].code,
			 (unsigned)(insns[idx].src_reg << 4 | insns[idx].dst_reg),
			 (unsigned)(uint16_t)insns[idx].off, (unsigned)insns[idx].imm, why);
}

int isa_validate_prog(const struct bpf_insn *insns, size_t cnt,
		      struct uebpf_error *err)
{
	char why[128];
	size_t i;

	if (!insns || cnt == 0)
		return uebpf_err(err, -EINVAL, "empty program: it needs at least an exit instruction");
	if (cnt > (1u << 20))
		return uebpf_err(err, -E2BIG, "program has %zu instructions; at most %u are allowed",
				 cnt, 1u << 20);

	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *next = i + 1 < cnt ? &insns[i + 1] : NULL;

		if (isa_check_encoding(&insns[i], next, why, sizeof(why)))
			return insn_error(err, insns, cnt, i, why);
		if (isa_is_lddw(&insns[i]))
			i++;
	}

	for (i = 0; i < cnt; i++) {
		const struct bpf_insn *insn = &insns[i];
		bool branch = (isa_is_jmp(insn->code) && isa_op(insn->code) != BPF_EXIT &&
			       isa_op(insn->code) != BPF_CALL) || isa_is_local_call(insn);

		if (branch) {
			int64_t t = isa_branch_target(insn, i);

			if (t < 0 || t >= (int64_t)cnt) {
				snprintf(why, sizeof(why), "jump target %lld is outside the program (0..%zu)",
					 (long long)t, cnt - 1);
				return insn_error(err, insns, cnt, i, why);
			}
			/* second slots have code 0, so a lddw opcode at t-1 is a first slot */
			if (t > 0 && isa_is_lddw(&insns[t - 1])) {
				snprintf(why, sizeof(why), "jump target %lld is the second half of a lddw",
					 (long long)t);
				return insn_error(err, insns, cnt, i, why);
			}
		}
		if (isa_is_lddw(insn))
			i++;
	}

	/* The last instruction must not let control run past the end. */
	{
		size_t last = cnt - 1;

		if (cnt >= 2 && isa_is_lddw(&insns[cnt - 2]))
			last = cnt - 2;
		if (!isa_is_exit(insns[last].code) && !isa_is_ja(insns[last].code))
			return insn_error(err, insns, cnt, last,
					  "the last instruction must be exit or an unconditional jump: "
					  "control would fall off the end of the program");
	}
	return 0;
}
