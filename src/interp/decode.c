/* SPDX-License-Identifier: MIT */
/*
 * Decoding a validated program into the interpreter's records
 * (interp_internal.h): picks one handler per instruction and operand
 * variant, then threads the records once per loop instance.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "interp/interp_internal.h"
#include "prog/map_refs.h"

static enum interp_op alu_base(uint8_t op)
{
	switch (op) {
	case BPF_ADD: return IOP_ADD64_K;
	case BPF_SUB: return IOP_SUB64_K;
	case BPF_MUL: return IOP_MUL64_K;
	case BPF_DIV: return IOP_DIV64_K;
	case BPF_MOD: return IOP_MOD64_K;
	case BPF_OR: return IOP_OR64_K;
	case BPF_AND: return IOP_AND64_K;
	case BPF_LSH: return IOP_LSH64_K;
	case BPF_RSH: return IOP_RSH64_K;
	case BPF_ARSH: return IOP_ARSH64_K;
	case BPF_XOR: return IOP_XOR64_K;
	default: return IOP_MOV64_K;
	}
}

static enum interp_op jmp_base(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return IOP_JEQ64_K;
	case BPF_JNE: return IOP_JNE64_K;
	case BPF_JGT: return IOP_JGT64_K;
	case BPF_JGE: return IOP_JGE64_K;
	case BPF_JLT: return IOP_JLT64_K;
	case BPF_JLE: return IOP_JLE64_K;
	case BPF_JSGT: return IOP_JSGT64_K;
	case BPF_JSGE: return IOP_JSGE64_K;
	case BPF_JSLT: return IOP_JSLT64_K;
	case BPF_JSLE: return IOP_JSLE64_K;
	default: return IOP_JSET64_K;
	}
}

/* Variant of a 4-handler group: 64_K, 64_X, 32_K, 32_X. */
static enum interp_op variant(enum interp_op base, bool is32, bool reg)
{
	return (enum interp_op)(base + (is32 ? 2 : 0) + (reg ? 1 : 0));
}

static enum interp_op decode_end(const struct bpf_insn *insn)
{
	bool swap = isa_class(insn->code) == BPF_ALU64 || isa_src(insn->code) == BPF_TO_BE;

	switch (insn->imm) {
	case 16: return swap ? IOP_BSWAP16 : IOP_ZEXT16;
	case 32: return swap ? IOP_BSWAP32 : IOP_ZEXT32;
	default: return swap ? IOP_BSWAP64 : IOP_NOP; /* le64 on a little-endian host */
	}
}

static enum interp_op decode_alu(const struct bpf_insn *insn, struct irec *rec)
{
	bool is32 = isa_class(insn->code) == BPF_ALU;
	bool reg = isa_src(insn->code) == BPF_X;
	uint8_t op = isa_op(insn->code);
	bool is_signed = insn->off == 1;

	switch (op) {
	case BPF_NEG:
		return is32 ? IOP_NEG32 : IOP_NEG64;
	case BPF_END:
		return decode_end(insn);
	case BPF_MOV:
		if (reg && insn->off == 8)
			return is32 ? IOP_MOVSX32_8 : IOP_MOVSX64_8;
		if (reg && insn->off == 16)
			return is32 ? IOP_MOVSX32_16 : IOP_MOVSX64_16;
		if (reg && insn->off == 32)
			return IOP_MOVSX64_32;
		break;
	case BPF_LSH: case BPF_RSH: case BPF_ARSH:
		if (!reg)
			rec->imm &= is32 ? 31 : 63;
		break;
	case BPF_DIV: case BPF_MOD:
		if (reg)
			return variant(op == BPF_DIV ? (is_signed ? IOP_SDIV64_K : IOP_DIV64_K)
						     : (is_signed ? IOP_SMOD64_K : IOP_MOD64_K),
				       is32, true);
		/* Immediate divisors 0 and -1 need no runtime test. */
		if (insn->imm == 0 && op == BPF_DIV) {
			rec->imm = 0;
			return variant(IOP_MOV64_K, is32, false);
		}
		if (insn->imm == 0) /* mod by 0 leaves dst (its low half for 32 bits) */
			return is32 ? IOP_ZEXT32 : IOP_NOP;
		if (insn->imm == -1 && is_signed && op == BPF_DIV)
			return is32 ? IOP_NEG32 : IOP_NEG64;
		if (insn->imm == -1 && is_signed) {
			rec->imm = 0;
			return variant(IOP_MOV64_K, is32, false);
		}
		return variant(op == BPF_DIV ? (is_signed ? IOP_SDIV64_K : IOP_DIV64_K)
					     : (is_signed ? IOP_SMOD64_K : IOP_MOD64_K),
			       is32, false);
	default:
		break;
	}
	return variant(alu_base(op), is32, reg);
}

static enum interp_op by_size(uint8_t code, enum interp_op b, enum interp_op h,
			      enum interp_op w, enum interp_op dw)
{
	switch (isa_size(code)) {
	case BPF_B: return b;
	case BPF_H: return h;
	case BPF_W: return w;
	default: return dw;
	}
}

static enum interp_op decode_atomic(const struct bpf_insn *insn)
{
	bool is32 = isa_size(insn->code) == BPF_W;

#define PICK(name) return is32 ? IOP_A32_##name : IOP_A64_##name
	switch (insn->imm) {
	case BPF_ADD: PICK(ADD);
	case BPF_OR: PICK(OR);
	case BPF_AND: PICK(AND);
	case BPF_XOR: PICK(XOR);
	case BPF_ADD | BPF_FETCH: PICK(FADD);
	case BPF_OR | BPF_FETCH: PICK(FOR);
	case BPF_AND | BPF_FETCH: PICK(FAND);
	case BPF_XOR | BPF_FETCH: PICK(FXOR);
	case BPF_XCHG: PICK(XCHG);
	default: PICK(CMPXCHG);
	}
#undef PICK
}

static int decode_error(const struct uebpf_prog *prog, size_t idx,
			struct uebpf_error *err, int code, const char *why)
{
	char text[96];

	isa_format_insn(prog->insns, prog->insn_cnt, idx, text, sizeof(text));
	return uebpf_err(err, code, "program '%s' insn %zu (%s): %s",
			 prog->name ? prog->name : "", idx, text, why);
}

/* Fills records and ops for instruction `i`; returns the slots it used. */
static int decode_insn(const struct uebpf_prog *prog, size_t i, struct irec *rec,
		       uint16_t *ops, struct interp_image *image,
		       struct uebpf_error *err)
{
	const struct bpf_insn *insn = &prog->insns[i];
	uint8_t code = insn->code;
	enum interp_op op;

	rec[i].dst = insn->dst_reg;
	rec[i].src = insn->src_reg;
	rec[i].off = insn->off;
	rec[i].imm = insn->imm;

	switch (isa_class(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		op = decode_alu(insn, &rec[i]);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (isa_is_ja(code)) {
			op = IOP_JA;
			if (code == (BPF_JMP | BPF_JA))
				rec[i].imm = insn->off;
		} else if (isa_is_exit(code)) {
			op = IOP_EXIT;
		} else if (isa_is_callx(insn)) {
			op = IOP_CALLX;
		} else if (isa_is_local_call(insn)) {
			op = IOP_CALL_LOCAL;
			image->is_func_entry[isa_branch_target(insn, i)] = 1;
		} else if (isa_is_helper_call(insn)) {
			const struct uebpf_helper_proto *proto =
				uebpf_helper_set_find(prog->helpers, (uint32_t)insn->imm);

			if (!proto || !proto->fn)
				return decode_error(prog, i, err, -EINVAL,
						    "unknown helper id: it is not in the program's helper set");
			op = IOP_CALL_HELPER;
			rec[i].fn = proto->fn;
		} else {
			op = jmp_base(isa_op(code));
			op = variant(op, isa_class(code) == BPF_JMP32, isa_src(code) == BPF_X);
		}
		break;
	case BPF_LD:
		if (isa_is_lddw(insn)) {
			uint64_t value;

			if (insn->src_reg == 0) {
				value = (uint64_t)isa_lddw_imm(insn);
			} else if (insn->src_reg == BPF_PSEUDO_FUNC) {
				int64_t t = (int64_t)i + 1 + insn->imm;

				if (t < 0 || t >= (int64_t)prog->insn_cnt ||
				    (t > 0 && isa_is_lddw(&prog->insns[t - 1])))
					return decode_error(prog, i, err, -EINVAL,
							    "code address outside the program or inside a lddw");
				image->is_func_entry[t] = 1;
				value = prog_code_addr((size_t)t);
			} else if (prog_is_map_ref(insn) && prog->maps &&
				   insn->imm >= 0 && (size_t)insn->imm < prog->nr_maps) {
				/* Checked by uebpf_prog_load (prog_map_refs_check). */
				value = prog_map_ref_value(prog->insns, i, prog->maps);
			} else {
				return decode_error(prog, i, err, -EINVAL,
						    "map references must be resolved by the object loader first");
			}
			ops[i] = IOP_LDDW;
			ops[i + 1] = IOP_LDDW_SLOT2;
			rec[i + 1].value = value;
			return 2;
		}
		op = isa_mode(code) == BPF_ABS
			     ? by_size(code, IOP_LD_ABS_B, IOP_LD_ABS_H, IOP_LD_ABS_W, IOP_LD_ABS_W)
			     : by_size(code, IOP_LD_IND_B, IOP_LD_IND_H, IOP_LD_IND_W, IOP_LD_IND_W);
		break;
	case BPF_LDX:
		op = isa_mode(code) == BPF_MEMSX
			     ? by_size(code, IOP_LDXS_B, IOP_LDXS_H, IOP_LDXS_W, IOP_LDXS_W)
			     : by_size(code, IOP_LDX_B, IOP_LDX_H, IOP_LDX_W, IOP_LDX_DW);
		break;
	case BPF_ST:
		op = by_size(code, IOP_ST_B, IOP_ST_H, IOP_ST_W, IOP_ST_DW);
		break;
	default: /* BPF_STX */
		op = isa_mode(code) == BPF_ATOMIC
			     ? decode_atomic(insn)
			     : by_size(code, IOP_STX_B, IOP_STX_H, IOP_STX_W, IOP_STX_DW);
		break;
	}
	ops[i] = (uint16_t)op;
	return 1;
}

void interp_image_free(struct interp_image *image)
{
	if (!image)
		return;
	free(image->code[0]);
	free(image->code[1]);
	free(image->is_func_entry);
	free(image);
}

int interp_prepare(struct uebpf_prog *prog, struct uebpf_error *err)
{
	interp_loop_fn *const loops[2] = { interp_loop_unchecked, interp_loop_checked };
	struct interp_image *image;
	uint16_t *ops = NULL;
	size_t i, n = prog->insn_cnt;
	int ret = -ENOMEM;

	image = calloc(1, sizeof(*image));
	if (!image)
		goto nomem;
	image->cnt = n;
	image->helpers = prog->helpers;
	image->code[0] = calloc(n, sizeof(struct irec));
	image->code[1] = calloc(n, sizeof(struct irec));
	image->is_func_entry = calloc(n, 1);
	ops = calloc(n, sizeof(*ops));
	if (!image->code[0] || !image->code[1] || !image->is_func_entry || !ops)
		goto nomem;

	for (i = 0; i < n;) {
		ret = decode_insn(prog, i, image->code[1], ops, image, err);
		if (ret < 0)
			goto fail;
		i += (size_t)ret;
	}

	memcpy(image->code[0], image->code[1], n * sizeof(struct irec));
	for (int checked = 0; checked < 2; checked++) {
		const void *const *labels = NULL;

		loops[checked](NULL, NULL, NULL, NULL, NULL, &labels);
		for (i = 0; i < n; i++)
			image->code[checked][i].handler = labels[ops[i]];
	}
	free(ops);
	interp_image_free(prog->interp);
	prog->interp = image;
	return 0;

nomem:
	ret = uebpf_err(err, -ENOMEM, "program '%s': out of memory decoding %zu instructions",
			prog->name ? prog->name : "", n);
fail:
	free(ops);
	interp_image_free(image);
	return ret;
}
