/* SPDX-License-Identifier: MIT */
/*
 * A small x86-64 instruction encoder: just the forms the eBPF JIT needs,
 * written into a growable byte buffer.
 *
 * Memory operands are always [base + disp] with any base register; the
 * encoder handles the special cases of the ModRM byte itself (rsp/r12 need a
 * SIB byte, rbp/r13 cannot use the "no displacement" form), so callers never
 * have to think about them.
 */
#ifndef UEBPF_JIT_X86_EMIT_H
#define UEBPF_JIT_X86_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum x86_reg {
	X86_RAX = 0, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
};

/* Condition codes, as in the low nibble of Jcc/SETcc. */
enum x86_cc {
	X86_CC_O = 0x0, X86_CC_NO = 0x1, X86_CC_B = 0x2, X86_CC_AE = 0x3,
	X86_CC_E = 0x4, X86_CC_NE = 0x5, X86_CC_BE = 0x6, X86_CC_A = 0x7,
	X86_CC_S = 0x8, X86_CC_NS = 0x9, X86_CC_L = 0xc, X86_CC_GE = 0xd,
	X86_CC_LE = 0xe, X86_CC_G = 0xf,
};

/* The /digit of the group-1 ALU operations (80/81/83) and their r/m,reg opcode. */
enum x86_alu {
	X86_ADD = 0, X86_OR = 1, X86_ADC = 2, X86_SBB = 3, X86_AND = 4, X86_SUB = 5,
	X86_XOR = 6, X86_CMP = 7,
};

/* The /digit of the group-2 shift operations (C1/D3). */
enum x86_shift { X86_ROL = 0, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7 };

struct x86_buf {
	uint8_t *p;
	size_t len, cap;
	bool oom;              /* an allocation failed; the contents are garbage */
};

static inline bool x86_reserve(struct x86_buf *b, size_t n)
{
	size_t cap;
	uint8_t *p;

	if (b->len + n <= b->cap)
		return true;
	if (b->oom)
		return false;
	cap = b->cap ? b->cap * 2 : 4096;
	while (cap < b->len + n)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->p = p;
	b->cap = cap;
	return true;
}

static inline void x86_byte(struct x86_buf *b, uint8_t v)
{
	if (b->len < b->cap || x86_reserve(b, 1))
		b->p[b->len++] = v;
}

static inline void x86_u16(struct x86_buf *b, uint16_t v)
{
	x86_byte(b, (uint8_t)v);
	x86_byte(b, (uint8_t)(v >> 8));
}

static inline void x86_u32(struct x86_buf *b, uint32_t v)
{
	if (!x86_reserve(b, 4))
		return;
	memcpy(b->p + b->len, &v, 4);  /* x86 is little-endian, like the encoding */
	b->len += 4;
}

static inline void x86_u64(struct x86_buf *b, uint64_t v)
{
	if (!x86_reserve(b, 8))
		return;
	memcpy(b->p + b->len, &v, 8);
	b->len += 8;
}

static inline bool x86_fits_s8(int64_t v) { return v >= -128 && v <= 127; }
static inline bool x86_fits_s32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* REX prefix. `force` emits it even when empty: byte operands in
 * spl/bpl/sil/dil need one (without it they mean ah/ch/dh/bh). */
static inline void x86_rex(struct x86_buf *b, bool w, unsigned reg, unsigned base, bool force)
{
	uint8_t rex = 0x40 | (w ? 8 : 0) | ((reg & 8) ? 4 : 0) | ((base & 8) ? 1 : 0);

	if (rex != 0x40 || force)
		x86_byte(b, rex);
}

static inline bool x86_byte_reg_needs_rex(unsigned r) { return r >= 4 && r <= 7; }

/* ModRM for a register-direct operand. */
static inline void x86_modrm_reg(struct x86_buf *b, unsigned reg, unsigned rm)
{
	x86_byte(b, (uint8_t)(0xc0 | ((reg & 7) << 3) | (rm & 7)));
}

/* ModRM (+SIB, +displacement) for [base + disp]. */
static inline void x86_modrm_mem(struct x86_buf *b, unsigned reg, unsigned base, int32_t disp)
{
	uint8_t mod;

	if (disp == 0 && (base & 7) != X86_RBP)
		mod = 0x00;
	else if (x86_fits_s8(disp))
		mod = 0x40;
	else
		mod = 0x80;
	x86_byte(b, (uint8_t)(mod | ((reg & 7) << 3) | (base & 7)));
	if ((base & 7) == X86_RSP)
		x86_byte(b, 0x24);  /* SIB: no index, base = rsp/r12 */
	if (mod == 0x40)
		x86_byte(b, (uint8_t)(int8_t)disp);
	else if (mod == 0x80)
		x86_u32(b, (uint32_t)disp);
}

/* `op reg, rm` register forms: opcode bytes then ModRM(reg, rm). */
static inline void x86_op_rr(struct x86_buf *b, bool w, const uint8_t *op, size_t oplen,
			     unsigned reg, unsigned rm)
{
	x86_rex(b, w, reg, rm, false);
	for (size_t i = 0; i < oplen; i++)
		x86_byte(b, op[i]);
	x86_modrm_reg(b, reg, rm);
}

/* `op reg, [base+disp]` memory forms; `prefix66` for 16-bit operands,
 * `byte_reg` when `reg` is an 8-bit register operand. */
static inline void x86_op_rm(struct x86_buf *b, bool prefix66, bool w, bool byte_reg,
			     const uint8_t *op, size_t oplen, unsigned reg,
			     unsigned base, int32_t disp)
{
	if (prefix66)
		x86_byte(b, 0x66);
	x86_rex(b, w, reg, base, byte_reg && x86_byte_reg_needs_rex(reg));
	for (size_t i = 0; i < oplen; i++)
		x86_byte(b, op[i]);
	x86_modrm_mem(b, reg, base, disp);
}

#define X86_OP(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* ---------------------------------------------------------------- moves */

/* mov dst, src (64- or 32-bit; the 32-bit form zero-extends). */
static inline void x86_mov_rr(struct x86_buf *b, bool w, unsigned dst, unsigned src)
{
	x86_op_rr(b, w, X86_OP(0x89), src, dst);
}

/* dst = imm, shortest form; 32-bit forms zero-extend as eBPF wants. */
static inline void x86_mov_imm64(struct x86_buf *b, unsigned dst, uint64_t imm)
{
	if (imm == 0) {
		x86_op_rr(b, false, X86_OP(0x31), dst, dst);          /* xor r32, r32 */
	} else if (imm <= UINT32_MAX) {
		x86_rex(b, false, 0, dst, false);
		x86_byte(b, (uint8_t)(0xb8 + (dst & 7)));             /* mov r32, imm32 */
		x86_u32(b, (uint32_t)imm);
	} else if (x86_fits_s32((int64_t)imm)) {
		x86_rex(b, true, 0, dst, false);
		x86_byte(b, 0xc7);                                    /* mov r64, simm32 */
		x86_modrm_reg(b, 0, dst);
		x86_u32(b, (uint32_t)imm);
	} else {
		x86_rex(b, true, 0, dst, false);
		x86_byte(b, (uint8_t)(0xb8 + (dst & 7)));             /* movabs r64, imm64 */
		x86_u64(b, imm);
	}
}

/* movabs with a fixed 10-byte size, for values patched later. Returns the
 * offset of the 8-byte immediate. */
static inline size_t x86_movabs(struct x86_buf *b, unsigned dst, uint64_t imm)
{
	x86_rex(b, true, 0, dst, false);
	x86_byte(b, (uint8_t)(0xb8 + (dst & 7)));
	x86_u64(b, imm);
	return b->len - 8;
}

/* Loads: mov/movzx/movsx reg, [base+disp] of `size` bytes. 1/2/4-byte
 * unsigned loads zero-extend to 64 bits; signed ones sign-extend. */
static inline void x86_load(struct x86_buf *b, unsigned size, bool sign, unsigned dst,
			    unsigned base, int32_t disp)
{
	switch (size) {
	case 1:
		if (sign)
			x86_op_rm(b, false, true, false, X86_OP(0x0f, 0xbe), dst, base, disp);
		else
			x86_op_rm(b, false, false, false, X86_OP(0x0f, 0xb6), dst, base, disp);
		break;
	case 2:
		if (sign)
			x86_op_rm(b, false, true, false, X86_OP(0x0f, 0xbf), dst, base, disp);
		else
			x86_op_rm(b, false, false, false, X86_OP(0x0f, 0xb7), dst, base, disp);
		break;
	case 4:
		if (sign)
			x86_op_rm(b, false, true, false, X86_OP(0x63), dst, base, disp);
		else
			x86_op_rm(b, false, false, false, X86_OP(0x8b), dst, base, disp);
		break;
	default:
		x86_op_rm(b, false, true, false, X86_OP(0x8b), dst, base, disp);
		break;
	}
}

/* mov [base+disp], src of `size` bytes. */
static inline void x86_store(struct x86_buf *b, unsigned size, unsigned base, int32_t disp,
			     unsigned src)
{
	switch (size) {
	case 1: x86_op_rm(b, false, false, true, X86_OP(0x88), src, base, disp); break;
	case 2: x86_op_rm(b, true, false, false, X86_OP(0x89), src, base, disp); break;
	case 4: x86_op_rm(b, false, false, false, X86_OP(0x89), src, base, disp); break;
	default: x86_op_rm(b, false, true, false, X86_OP(0x89), src, base, disp); break;
	}
}

/* mov [base+disp], imm of `size` bytes (8 bytes: sign-extended imm32). */
static inline void x86_store_imm(struct x86_buf *b, unsigned size, unsigned base, int32_t disp,
				 int32_t imm)
{
	switch (size) {
	case 1:
		x86_op_rm(b, false, false, false, X86_OP(0xc6), 0, base, disp);
		x86_byte(b, (uint8_t)imm);
		break;
	case 2:
		x86_op_rm(b, true, false, false, X86_OP(0xc7), 0, base, disp);
		x86_u16(b, (uint16_t)imm);
		break;
	case 4:
		x86_op_rm(b, false, false, false, X86_OP(0xc7), 0, base, disp);
		x86_u32(b, (uint32_t)imm);
		break;
	default:
		x86_op_rm(b, false, true, false, X86_OP(0xc7), 0, base, disp);
		x86_u32(b, (uint32_t)imm);
		break;
	}
}

/* lea dst, [base+disp] (64-bit). */
static inline void x86_lea(struct x86_buf *b, unsigned dst, unsigned base, int32_t disp)
{
	x86_op_rm(b, false, true, false, X86_OP(0x8d), dst, base, disp);
}

/* movzx/movsx between registers: `from` is 8, 16 or 32 bits. */
static inline void x86_extend_rr(struct x86_buf *b, bool w, bool sign, unsigned from,
				 unsigned dst, unsigned src)
{
	if (from == 32) {
		if (sign)
			x86_op_rr(b, true, X86_OP(0x63), dst, src);   /* movsxd */
		else
			x86_mov_rr(b, false, dst, src);
		return;
	}
	x86_rex(b, w, dst, src, from == 8 && x86_byte_reg_needs_rex(src));
	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)((sign ? 0xbe : 0xb6) + (from == 16 ? 1 : 0)));
	x86_modrm_reg(b, dst, src);
}

/* ------------------------------------------------------------ arithmetic */

/* op dst, src for the group-1 operations (add, or, and, sub, xor, cmp). */
static inline void x86_alu_rr(struct x86_buf *b, bool w, enum x86_alu op, unsigned dst,
			      unsigned src)
{
	x86_op_rr(b, w, X86_OP((uint8_t)(op << 3 | 1)), src, dst);
}

/* op dst, imm32 (sign-extended in 64-bit form). */
static inline void x86_alu_ri(struct x86_buf *b, bool w, enum x86_alu op, unsigned dst,
			      int32_t imm)
{
	x86_rex(b, w, 0, dst, false);
	if (x86_fits_s8(imm)) {
		x86_byte(b, 0x83);
		x86_modrm_reg(b, op, dst);
		x86_byte(b, (uint8_t)imm);
	} else {
		x86_byte(b, 0x81);
		x86_modrm_reg(b, op, dst);
		x86_u32(b, (uint32_t)imm);
	}
}

/* op reg, [base+disp] (e.g. cmp r11, [r12+8]). */
static inline void x86_alu_rm(struct x86_buf *b, bool w, enum x86_alu op, unsigned reg,
			      unsigned base, int32_t disp)
{
	x86_op_rm(b, false, w, false, X86_OP((uint8_t)(op << 3 | 3)), reg, base, disp);
}

/* op [base+disp], reg with an optional lock prefix, 32 or 64 bits. */
static inline void x86_alu_mr(struct x86_buf *b, bool lock, bool w, enum x86_alu op,
			      unsigned base, int32_t disp, unsigned reg)
{
	if (lock)
		x86_byte(b, 0xf0);
	x86_op_rm(b, false, w, false, X86_OP((uint8_t)(op << 3 | 1)), reg, base, disp);
}

/* op qword/dword [base+disp], imm32. */
static inline void x86_alu_mi(struct x86_buf *b, bool w, enum x86_alu op, unsigned base,
			      int32_t disp, int32_t imm)
{
	if (x86_fits_s8(imm)) {
		x86_op_rm(b, false, w, false, X86_OP(0x83), op, base, disp);
		x86_byte(b, (uint8_t)imm);
	} else {
		x86_op_rm(b, false, w, false, X86_OP(0x81), op, base, disp);
		x86_u32(b, (uint32_t)imm);
	}
}

/* cmp byte [base+disp], imm8. */
static inline void x86_cmp_m8i(struct x86_buf *b, unsigned base, int32_t disp, uint8_t imm)
{
	x86_op_rm(b, false, false, false, X86_OP(0x80), X86_CMP, base, disp);
	x86_byte(b, imm);
}

/* test dst, src. */
static inline void x86_test_rr(struct x86_buf *b, bool w, unsigned dst, unsigned src)
{
	x86_op_rr(b, w, X86_OP(0x85), src, dst);
}

/* test dst, imm32. */
static inline void x86_test_ri(struct x86_buf *b, bool w, unsigned dst, int32_t imm)
{
	x86_rex(b, w, 0, dst, false);
	x86_byte(b, 0xf7);
	x86_modrm_reg(b, 0, dst);
	x86_u32(b, (uint32_t)imm);
}

static inline void x86_imul_rr(struct x86_buf *b, bool w, unsigned dst, unsigned src)
{
	x86_op_rr(b, w, X86_OP(0x0f, 0xaf), dst, src);
}

static inline void x86_imul_rri(struct x86_buf *b, bool w, unsigned dst, unsigned src,
				int32_t imm)
{
	if (x86_fits_s8(imm)) {
		x86_op_rr(b, w, X86_OP(0x6b), dst, src);
		x86_byte(b, (uint8_t)imm);
	} else {
		x86_op_rr(b, w, X86_OP(0x69), dst, src);
		x86_u32(b, (uint32_t)imm);
	}
}

/* Group-3 unary operations on a register: 3 = neg, 6 = div, 7 = idiv. */
static inline void x86_group3_r(struct x86_buf *b, bool w, unsigned digit, unsigned r)
{
	x86_rex(b, w, 0, r, false);
	x86_byte(b, 0xf7);
	x86_modrm_reg(b, digit, r);
}

static inline void x86_neg(struct x86_buf *b, bool w, unsigned r) { x86_group3_r(b, w, 3, r); }
static inline void x86_div(struct x86_buf *b, bool w, unsigned r) { x86_group3_r(b, w, 6, r); }
static inline void x86_idiv(struct x86_buf *b, bool w, unsigned r) { x86_group3_r(b, w, 7, r); }

/* Sign-extends rax into rdx (cqo) or eax into edx (cdq). */
static inline void x86_cqo(struct x86_buf *b, bool w)
{
	if (w)
		x86_byte(b, 0x48);
	x86_byte(b, 0x99);
}

static inline void x86_shift_ri(struct x86_buf *b, bool w, enum x86_shift op, unsigned r,
				uint8_t count)
{
	x86_rex(b, w, 0, r, false);
	x86_byte(b, 0xc1);
	x86_modrm_reg(b, op, r);
	x86_byte(b, count);
}

static inline void x86_shift_rcl(struct x86_buf *b, bool w, enum x86_shift op, unsigned r)
{
	x86_rex(b, w, 0, r, false);
	x86_byte(b, 0xd3);
	x86_modrm_reg(b, op, r);
}

/* shlx/shrx/sarx dst, src, count (BMI2): dst = src shifted by count,
 * masked to 5 or 6 bits like eBPF, in any registers and without flags. */
static inline void x86_shiftx(struct x86_buf *b, bool w, enum x86_shift op, unsigned dst,
			      unsigned src, unsigned count)
{
	uint8_t pp = op == X86_SHL ? 1 : op == X86_SAR ? 2 : 3;   /* 66, F3, F2 */

	x86_byte(b, 0xc4);                                         /* 3-byte VEX */
	x86_byte(b, (uint8_t)(((dst & 8) ? 0 : 0x80) | 0x40 | ((src & 8) ? 0 : 0x20) | 0x02));
	x86_byte(b, (uint8_t)((w ? 0x80 : 0) | ((~count & 15) << 3) | pp));
	x86_byte(b, 0xf7);
	x86_modrm_reg(b, dst, src);
}

/* lea dst, [base + index] (64-bit); index must not be rsp. */
static inline void x86_lea_rr(struct x86_buf *b, unsigned dst, unsigned base, unsigned index)
{
	bool disp8 = (base & 7) == X86_RBP;   /* rbp/r13 as base need a displacement */

	x86_byte(b, (uint8_t)(0x48 | ((dst & 8) ? 4 : 0) | ((index & 8) ? 2 : 0) |
			      ((base & 8) ? 1 : 0)));
	x86_byte(b, 0x8d);
	x86_byte(b, (uint8_t)((disp8 ? 0x40 : 0) | ((dst & 7) << 3) | 4));
	x86_byte(b, (uint8_t)(((index & 7) << 3) | (base & 7)));
	if (disp8)
		x86_byte(b, 0);
}

/* rol r16, 8: swaps the two low bytes. */
static inline void x86_rol16_8(struct x86_buf *b, unsigned r)
{
	x86_byte(b, 0x66);
	x86_rex(b, false, 0, r, false);
	x86_byte(b, 0xc1);
	x86_modrm_reg(b, X86_ROL, r);
	x86_byte(b, 8);
}

static inline void x86_bswap(struct x86_buf *b, bool w, unsigned r)
{
	x86_rex(b, w, 0, r, false);
	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)(0xc8 + (r & 7)));
}

/* -------------------------------------------------------------- atomics */

/* lock xadd [base+disp], reg */
static inline void x86_lock_xadd(struct x86_buf *b, bool w, unsigned base, int32_t disp,
				 unsigned reg)
{
	x86_byte(b, 0xf0);
	x86_op_rm(b, false, w, false, X86_OP(0x0f, 0xc1), reg, base, disp);
}

/* xchg [base+disp], reg (always locked). */
static inline void x86_xchg_m(struct x86_buf *b, bool w, unsigned base, int32_t disp,
			      unsigned reg)
{
	x86_op_rm(b, false, w, false, X86_OP(0x87), reg, base, disp);
}

/* lock cmpxchg [base+disp], reg (compares with rax/eax). */
static inline void x86_lock_cmpxchg(struct x86_buf *b, bool w, unsigned base, int32_t disp,
				    unsigned reg)
{
	x86_byte(b, 0xf0);
	x86_op_rm(b, false, w, false, X86_OP(0x0f, 0xb1), reg, base, disp);
}

/* --------------------------------------------------------- control flow */

static inline void x86_push(struct x86_buf *b, unsigned r)
{
	x86_rex(b, false, 0, r, false);
	x86_byte(b, (uint8_t)(0x50 + (r & 7)));
}

static inline void x86_pop(struct x86_buf *b, unsigned r)
{
	x86_rex(b, false, 0, r, false);
	x86_byte(b, (uint8_t)(0x58 + (r & 7)));
}

static inline void x86_ret(struct x86_buf *b) { x86_byte(b, 0xc3); }

/* call reg */
static inline void x86_call_r(struct x86_buf *b, unsigned r)
{
	x86_rex(b, false, 0, r, false);
	x86_byte(b, 0xff);
	x86_modrm_reg(b, 2, r);
}

/* Jumps with a 32-bit displacement; they return the offset of the
 * displacement so it can be patched once the target is known. */
static inline size_t x86_jmp32(struct x86_buf *b)
{
	x86_byte(b, 0xe9);
	x86_u32(b, 0);
	return b->len - 4;
}

static inline size_t x86_jcc32(struct x86_buf *b, enum x86_cc cc)
{
	x86_byte(b, 0x0f);
	x86_byte(b, (uint8_t)(0x80 | cc));
	x86_u32(b, 0);
	return b->len - 4;
}

static inline size_t x86_call32(struct x86_buf *b)
{
	x86_byte(b, 0xe8);
	x86_u32(b, 0);
	return b->len - 4;
}

/* Short jumps over a few bytes emitted right after; x86_patch8 fixes them. */
static inline size_t x86_jcc8(struct x86_buf *b, enum x86_cc cc)
{
	x86_byte(b, (uint8_t)(0x70 | cc));
	x86_byte(b, 0);
	return b->len - 1;
}

static inline size_t x86_jmp8(struct x86_buf *b)
{
	x86_byte(b, 0xeb);
	x86_byte(b, 0);
	return b->len - 1;
}

/* Points the rel8 at `at` to the current end of the buffer. */
static inline void x86_patch8_here(struct x86_buf *b, size_t at)
{
	if (!b->oom)
		b->p[at] = (uint8_t)(int8_t)(b->len - (at + 1));
}

/* Points the rel8 at `at` to `target`. */
static inline void x86_patch8_to(struct x86_buf *b, size_t at, size_t target)
{
	if (!b->oom)
		b->p[at] = (uint8_t)(int8_t)((int64_t)target - (int64_t)(at + 1));
}

/* Points the rel32 at `at` to `target`. */
static inline void x86_patch32(uint8_t *code, size_t at, size_t target)
{
	int32_t rel = (int32_t)((int64_t)target - (int64_t)(at + 4));

	memcpy(code + at, &rel, 4);
}

#endif /* UEBPF_JIT_X86_EMIT_H */
