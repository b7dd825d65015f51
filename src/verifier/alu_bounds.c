/* SPDX-License-Identifier: MIT */
/*
 * Scalar tracking: known bits (tnum) plus signed/unsigned 64- and 32-bit
 * bounds, updated by every ALU operation and narrowed by both branches of
 * every conditional jump. Also pointer arithmetic and pointer comparisons
 * (packet range checks, null checks).
 *
 * 32-bit operations are computed on the zero- (or sign-) extended 32-bit
 * operands with the 64-bit rules and truncated, which is exact for every
 * operation because the extended operands cannot overflow 64 bits.
 */
#include <errno.h>
#include <string.h>

#include "verifier/vstate.h"

#define U32_MAXV 0xffffffffull

static uint64_t umax64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint64_t umin64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static int64_t smax64(int64_t a, int64_t b) { return a > b ? a : b; }
static int64_t smin64(int64_t a, int64_t b) { return a < b ? a : b; }

void vreg_mark_not_init(struct vreg *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = REG_NOT_INIT;
}

static void set_unbounded(struct vreg *reg)
{
	reg->smin = INT64_MIN;
	reg->smax = INT64_MAX;
	reg->umin = 0;
	reg->umax = UINT64_MAX;
	reg->s32_min = INT32_MIN;
	reg->s32_max = INT32_MAX;
	reg->u32_min = 0;
	reg->u32_max = UINT32_MAX;
}

void vreg_mark_unknown(struct vreg *reg)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = REG_SCALAR;
	reg->var_off = tnum_unknown();
	set_unbounded(reg);
}

void vreg_mark_const(struct vreg *reg, uint64_t v)
{
	memset(reg, 0, sizeof(*reg));
	reg->type = REG_SCALAR;
	reg->var_off = tnum_const(v);
	reg->smin = reg->smax = (int64_t)v;
	reg->umin = reg->umax = v;
	reg->s32_min = reg->s32_max = (int32_t)v;
	reg->u32_min = reg->u32_max = (uint32_t)v;
}

void vreg_set_bounds_from_tnum(struct vreg *reg)
{
	struct tnum t = reg->var_off, t32 = tnum_cast(reg->var_off, 4);

	reg->umin = umax64(reg->umin, t.value);
	reg->umax = umin64(reg->umax, t.value | t.mask);
	reg->smin = smax64(reg->smin, (int64_t)(t.value | (t.mask & (1ull << 63))));
	reg->smax = smin64(reg->smax, (int64_t)(t.value | (t.mask & ~(1ull << 63))));
	reg->u32_min = (uint32_t)umax64(reg->u32_min, t32.value);
	reg->u32_max = (uint32_t)umin64(reg->u32_max, t32.value | t32.mask);
	reg->s32_min = (int32_t)smax64(reg->s32_min,
				       (int32_t)(uint32_t)(t32.value | (t32.mask & 0x80000000u)));
	reg->s32_max = (int32_t)smin64(reg->s32_max,
				       (int32_t)(uint32_t)(t32.value | (t32.mask & 0x7fffffffu)));
}

static void deduce_bounds(struct vreg *reg)
{
	/* signed <-> unsigned where the range does not cross the sign boundary */
	if ((int32_t)reg->u32_min <= (int32_t)reg->u32_max) {
		reg->s32_min = (int32_t)smax64(reg->s32_min, (int32_t)reg->u32_min);
		reg->s32_max = (int32_t)smin64(reg->s32_max, (int32_t)reg->u32_max);
	}
	if (reg->s32_min >= 0 || reg->s32_max < 0) {
		reg->u32_min = (uint32_t)umax64(reg->u32_min, (uint32_t)reg->s32_min);
		reg->u32_max = (uint32_t)umin64(reg->u32_max, (uint32_t)reg->s32_max);
	}
	if ((int64_t)reg->umin <= (int64_t)reg->umax) {
		reg->smin = smax64(reg->smin, (int64_t)reg->umin);
		reg->smax = smin64(reg->smax, (int64_t)reg->umax);
	}
	if (reg->smin >= 0 || reg->smax < 0) {
		reg->umin = umax64(reg->umin, (uint64_t)reg->smin);
		reg->umax = umin64(reg->umax, (uint64_t)reg->smax);
	}
	/* 32 from 64: all values share their upper half */
	if ((reg->umin >> 32) == (reg->umax >> 32)) {
		reg->u32_min = (uint32_t)umax64(reg->u32_min, (uint32_t)reg->umin);
		reg->u32_max = (uint32_t)umin64(reg->u32_max, (uint32_t)reg->umax);
		if ((int32_t)reg->umin <= (int32_t)reg->umax) {
			reg->s32_min = (int32_t)smax64(reg->s32_min, (int32_t)reg->umin);
			reg->s32_max = (int32_t)smin64(reg->s32_max, (int32_t)reg->umax);
		}
	}
	if ((reg->smin >> 32) == (reg->smax >> 32)) {
		reg->u32_min = (uint32_t)umax64(reg->u32_min, (uint32_t)reg->smin);
		reg->u32_max = (uint32_t)umin64(reg->u32_max, (uint32_t)reg->smax);
		if ((int32_t)reg->smin <= (int32_t)reg->smax) {
			reg->s32_min = (int32_t)smax64(reg->s32_min, (int32_t)reg->smin);
			reg->s32_max = (int32_t)smin64(reg->s32_max, (int32_t)reg->smax);
		}
	}
	/* 64 from 32: the upper half is known */
	if ((reg->var_off.mask >> 32) == 0) {
		uint64_t hi = reg->var_off.value & ~U32_MAXV;

		reg->umin = umax64(reg->umin, hi | reg->u32_min);
		reg->umax = umin64(reg->umax, hi | reg->u32_max);
		reg->smin = smax64(reg->smin, (int64_t)(hi | reg->u32_min));
		reg->smax = smin64(reg->smax, (int64_t)(hi | reg->u32_max));
	}
}

static void tnum_from_bounds(struct vreg *reg)
{
	reg->var_off = tnum_intersect(reg->var_off, tnum_range(reg->umin, reg->umax));
	reg->var_off = tnum_intersect(reg->var_off,
				      tnum_with_subreg(tnum_unknown(),
						       tnum_range(reg->u32_min, reg->u32_max)));
}

bool vreg_bounds_sane(const struct vreg *reg)
{
	return reg->umin <= reg->umax && reg->smin <= reg->smax &&
	       reg->u32_min <= reg->u32_max && reg->s32_min <= reg->s32_max &&
	       !(reg->var_off.value & reg->var_off.mask);
}

void vreg_bounds_sync(struct vreg *reg)
{
	for (int i = 0; i < 2; i++) {
		vreg_set_bounds_from_tnum(reg);
		deduce_bounds(reg);
		if (!vreg_bounds_sane(reg))
			return;
		tnum_from_bounds(reg);
	}
	vreg_set_bounds_from_tnum(reg);
}

void vreg_mark_loaded(struct vreg *reg, unsigned size, bool sext)
{
	vreg_mark_unknown(reg);
	if (size >= 8)
		return;
	reg->var_off = tnum_cast(tnum_unknown(), size);
	if (sext)
		reg->var_off = tnum_sext(reg->var_off, size * 8);
	vreg_bounds_sync(reg);
}

/* ---------------------------------------------------------- 32-bit views */

static void view_zext32(struct vreg *v, const struct vreg *reg)
{
	*v = *reg;
	v->var_off = tnum_cast(reg->var_off, 4);
	v->umin = reg->u32_min;
	v->umax = reg->u32_max;
	v->smin = reg->u32_min;
	v->smax = reg->u32_max;
	vreg_bounds_sync(v);
}

static void view_sext32(struct vreg *v, const struct vreg *reg)
{
	*v = *reg;
	v->var_off = tnum_sext(tnum_cast(reg->var_off, 4), 32);
	v->smin = reg->s32_min;
	v->smax = reg->s32_max;
	v->umin = 0;
	v->umax = UINT64_MAX;
	vreg_bounds_sync(v);
}

/* The low 32 bits of a 64-bit result, zero-extended. */
static void truncate32(struct vreg *reg)
{
	uint64_t lo = 0, hi = U32_MAXV;
	struct tnum t = tnum_cast(reg->var_off, 4);

	if ((reg->umin >> 32) == (reg->umax >> 32)) {
		lo = (uint32_t)reg->umin;
		hi = (uint32_t)reg->umax;
	} else if ((reg->smin >> 32) == (reg->smax >> 32)) {
		lo = (uint32_t)reg->smin;
		hi = (uint32_t)reg->smax;
	}
	/* the 32-bit bounds (narrowed by 32-bit jumps) hold as well */
	if (reg->u32_min <= reg->u32_max && reg->u32_min <= hi && reg->u32_max >= lo) {
		if (reg->u32_min > lo)
			lo = reg->u32_min;
		if (reg->u32_max < hi)
			hi = reg->u32_max;
	}
	vreg_mark_unknown(reg);
	reg->var_off = t;
	reg->umin = reg->u32_min = (uint32_t)lo;
	reg->umax = reg->u32_max = (uint32_t)hi;
	reg->smin = (int64_t)lo;
	reg->smax = (int64_t)hi;
	vreg_bounds_sync(reg);
}

/* --------------------------------------------------------- scalar ALU */

static void scalar_alu64(struct vreg *dst, const struct vreg *src, uint8_t op, bool is_signed,
			 unsigned bits)
{
	struct vreg r;
	bool src_const = tnum_is_const(src->var_off);
	uint64_t c = src->var_off.value;
	int64_t a, b;

	vreg_mark_unknown(&r);
	switch (op) {
	case BPF_ADD:
		r.var_off = tnum_add(dst->var_off, src->var_off);
		if (!__builtin_add_overflow(dst->smin, src->smin, &a) &&
		    !__builtin_add_overflow(dst->smax, src->smax, &b)) {
			r.smin = a;
			r.smax = b;
		}
		if (dst->umax + src->umax >= dst->umax) {
			r.umin = dst->umin + src->umin;
			r.umax = dst->umax + src->umax;
		}
		break;
	case BPF_SUB:
		r.var_off = tnum_sub(dst->var_off, src->var_off);
		if (!__builtin_sub_overflow(dst->smin, src->smax, &a) &&
		    !__builtin_sub_overflow(dst->smax, src->smin, &b)) {
			r.smin = a;
			r.smax = b;
		}
		if (dst->umin >= src->umax) {
			r.umin = dst->umin - src->umax;
			r.umax = dst->umax - src->umin;
		}
		break;
	case BPF_MUL:
		r.var_off = tnum_mul(dst->var_off, src->var_off);
		if (dst->umax <= U32_MAXV && src->umax <= U32_MAXV) {
			r.umin = dst->umin * src->umin;
			r.umax = dst->umax * src->umax;
		}
		break;
	case BPF_AND:
		r.var_off = tnum_and(dst->var_off, src->var_off);
		r.umax = umin64(dst->umax, src->umax);
		break;
	case BPF_OR:
		r.var_off = tnum_or(dst->var_off, src->var_off);
		r.umin = umax64(dst->umin, src->umin);
		break;
	case BPF_XOR:
		r.var_off = tnum_xor(dst->var_off, src->var_off);
		break;
	case BPF_LSH:
		if (!src_const || c >= bits)
			break;
		r.var_off = tnum_lshift(dst->var_off, (unsigned)c);
		if (c == 0 || dst->umax <= (UINT64_MAX >> c)) {
			r.umin = dst->umin << c;
			r.umax = dst->umax << c;
		}
		break;
	case BPF_RSH:
		if (src->umax >= bits)
			break;
		if (src_const)
			r.var_off = tnum_rshift(dst->var_off, (unsigned)c);
		else
			r.var_off = tnum_rshift(tnum_unknown(), (unsigned)src->umin);
		r.umin = dst->umin >> src->umax;
		r.umax = dst->umax >> src->umin;
		break;
	case BPF_ARSH:
		if (!src_const || c >= bits)
			break;
		r.var_off = tnum_arshift(dst->var_off, (unsigned)c, 64);
		r.smin = dst->smin >> c;
		r.smax = dst->smax >> c;
		break;
	case BPF_DIV:
		if (is_signed) {
			if (src_const && tnum_is_const(dst->var_off)) {
				int64_t x = (int64_t)dst->var_off.value, y = (int64_t)c;

				vreg_mark_const(&r, y == 0 ? 0 : (y == -1 ? (uint64_t)0 - (uint64_t)x :
								  (uint64_t)(x / y)));
			}
			break;
		}
		if (src->umin > 0) {
			r.umin = dst->umin / src->umax;
			r.umax = dst->umax / src->umin;
		} else {
			r.umax = dst->umax;   /* x / 0 == 0 and x / y <= x */
		}
		break;
	case BPF_MOD:
		if (is_signed) {
			if (src_const && tnum_is_const(dst->var_off)) {
				int64_t x = (int64_t)dst->var_off.value, y = (int64_t)c;

				vreg_mark_const(&r, y == 0 ? (uint64_t)x : (y == -1 ? 0 : (uint64_t)(x % y)));
			}
			break;
		}
		if (src_const && c == 0) {
			r = *dst;    /* x % 0 == x */
			break;
		}
		if (src->umin > 0) {
			r.umax = dst->umax < src->umin ? dst->umax : umin64(dst->umax, src->umax - 1);
			if (dst->umax < src->umin)
				r.umin = dst->umin, r.var_off = dst->var_off;
		} else {
			r.umax = dst->umax;
		}
		break;
	}
	r.id = 0;
	vreg_bounds_sync(&r);
	*dst = r;
}

static void scalar_alu(struct vreg *dst, const struct vreg *src, uint8_t op, bool is64,
		       bool is_signed)
{
	struct vreg d, s;

	if (is64) {
		scalar_alu64(dst, src, op, is_signed, 64);
		return;
	}
	if (op == BPF_ARSH || is_signed) {
		view_sext32(&d, dst);
		if (op == BPF_ARSH)
			view_zext32(&s, src);
		else
			view_sext32(&s, src);
	} else {
		view_zext32(&d, dst);
		view_zext32(&s, src);
	}
	if (op == BPF_ARSH) {
		/* arithmetic shift of the sign-extended operand by < 32 */
		if (tnum_is_const(s.var_off) && s.var_off.value < 32)
			scalar_alu64(&d, &s, op, false, 64);
		else
			vreg_mark_unknown(&d);
	} else {
		scalar_alu64(&d, &s, op, is_signed, 32);
	}
	truncate32(&d);
	*dst = d;
}

static void scalar_neg(struct vreg *dst, bool is64)
{
	struct vreg zero;

	vreg_mark_const(&zero, 0);
	if (is64) {
		scalar_alu64(&zero, dst, BPF_SUB, false, 64);
		*dst = zero;
	} else {
		struct vreg d;

		view_zext32(&d, dst);
		scalar_alu64(&zero, &d, BPF_SUB, false, 64);
		truncate32(&zero);
		*dst = zero;
	}
}

static uint64_t bswap(uint64_t v, unsigned width)
{
	switch (width) {
	case 16: return __builtin_bswap16((uint16_t)v);
	case 32: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

static void scalar_end(struct vreg *dst, const struct bpf_insn *insn)
{
	unsigned width = (unsigned)insn->imm;
	bool swap = isa_class(insn->code) == BPF_ALU64 || isa_src(insn->code) == BPF_TO_BE;

	if (!swap) {
		/* to little endian on a little-endian host: truncation */
		if (width < 64) {
			struct vreg mask;

			vreg_mark_const(&mask, width == 16 ? 0xffff : U32_MAXV);
			scalar_alu64(dst, &mask, BPF_AND, false, 64);
		}
		return;
	}
	if (tnum_is_const(dst->var_off)) {
		vreg_mark_const(dst, bswap(dst->var_off.value, width));
		return;
	}
	vreg_mark_loaded(dst, width / 8, false);
}

/* Sign extension of the low `bits` bits (movsx, 64-bit result). */
static void scalar_sext(struct vreg *dst, const struct vreg *src, unsigned bits)
{
	int64_t lo = -(1ll << (bits - 1)), hi = (1ll << (bits - 1)) - 1;
	struct vreg r;

	vreg_mark_unknown(&r);
	r.var_off = tnum_sext(tnum_cast(src->var_off, bits / 8), bits);
	if (src->smin >= lo && src->smax <= hi) {
		r.smin = src->smin;
		r.smax = src->smax;
	} else if (bits == 32) {
		r.smin = src->s32_min;
		r.smax = src->s32_max;
	}
	vreg_bounds_sync(&r);
	*dst = r;
}

/* ------------------------------------------------------ pointer ALU */

static const char *op_name(uint8_t op)
{
	switch (op) {
	case BPF_ADD: return "+=";
	case BPF_SUB: return "-=";
	case BPF_MUL: return "*=";
	case BPF_DIV: return "/=";
	case BPF_OR: return "|=";
	case BPF_AND: return "&=";
	case BPF_LSH: return "<<=";
	case BPF_RSH: return ">>=";
	case BPF_NEG: return "neg";
	case BPF_MOD: return "%=";
	case BPF_XOR: return "^=";
	case BPF_ARSH: return "s>>=";
	default: return "?";
	}
}

static int ptr_alu(struct venv *env, const struct bpf_insn *insn, struct vreg *dst,
		   const struct vreg *src, bool is64)
{
	uint8_t op = isa_op(insn->code);
	uint32_t rd = insn->dst_reg, rs = isa_src(insn->code) == BPF_X ? insn->src_reg : rd;
	uint32_t mask = 1u << rd | 1u << rs;
	bool dst_ptr = vreg_is_pointer(dst), src_ptr = vreg_is_pointer(src);
	const struct vreg *ptr, *off;
	struct vreg res;
	char tn[32];

	if (!is64) {
		if (op == BPF_SUB && !env->strict) {
			vreg_mark_unknown(dst);
			truncate32(dst);
			return 0;
		}
		return verr(env, mask, "do pointer arithmetic in 64 bits (ALU64)",
			    "32-bit arithmetic on a pointer is not allowed");
	}
	if (dst_ptr && src_ptr) {
		if (op == BPF_SUB && !env->strict) {
			vreg_mark_unknown(dst);
			return 0;
		}
		return verr(env, mask, NULL, "pointer %s pointer is not allowed%s", op_name(op),
			    op == BPF_SUB ? " in strict (unprivileged) mode" : "");
	}
	if (op != BPF_ADD && op != BPF_SUB) {
		bool bitwise = op == BPF_AND || op == BPF_OR || op == BPF_XOR;

		return verr(env, mask, "only + and - with a scalar may change a pointer",
			    "%s operator %s on a pointer is not allowed",
			    bitwise ? "bitwise" : "arithmetic", op_name(op));
	}
	if (src_ptr) {
		if (op == BPF_SUB)
			return verr(env, mask, NULL, "subtracting a pointer from a scalar is not allowed");
		ptr = src;
		off = dst;
	} else {
		ptr = dst;
		off = src;
	}
	if (ptr->flags & REG_MAYBE_NULL)
		return verr(env, mask, "compare it with 0 first (if (!p) return ...)",
			    "arithmetic on a pointer that may be NULL is not allowed");
	switch (ptr->type) {
	case PTR_TO_PACKET_END:
		return verr(env, mask, "data_end only serves for comparisons",
			    "arithmetic on the packet end pointer is not allowed");
	case CONST_PTR_TO_MAP:
		if (tnum_equals_const(off->var_off, 0))
			break;
		return verr(env, mask, NULL, "arithmetic on a map pointer is not allowed");
	case PTR_TO_FUNC:
		return verr(env, mask, NULL, "arithmetic on a function pointer is not allowed");
	default:
		break;
	}
	res = *ptr;
	if (tnum_is_const(off->var_off)) {
		int64_t c = (int64_t)off->var_off.value;
		int64_t n = op == BPF_ADD ? (int64_t)ptr->off + c : (int64_t)ptr->off - c;

		if (c < -V_MAX_VAR_OFF || c > V_MAX_VAR_OFF || n < -V_MAX_VAR_OFF || n > V_MAX_VAR_OFF)
			return verr(env, mask, NULL,
				    "adding %lld moves %s out of any valid range",
				    (long long)c, vreg_type_name(ptr));
		res.off = (int32_t)n;
		*dst = res;
		return 0;
	}
	if (env->strict) {
		if (ptr->type == PTR_TO_STACK)
			return verr(env, mask, "use constant offsets on the stack",
				    "variable offsets on the stack pointer are not allowed in strict "
				    "(unprivileged) mode");
		if (off->smin < 0 && off->smax >= 0)
			return verr(env, mask, "bound the scalar to non-negative values first",
				    "in strict (unprivileged) mode a pointer may only move by a scalar "
				    "whose sign is known");
	}
	if (off->smin < -V_MAX_VAR_OFF || off->smax > V_MAX_VAR_OFF) {
		tnum_snprint(tn, sizeof(tn), off->var_off);
		return verr(env, mask,
			    "bound it first: 'x &= 0xff' or 'if (x > N) return' before adding it to the pointer",
			    "the number added to %s is unbounded (var_off=%s)",
			    vreg_type_name(ptr), tn);
	}
	if (op == BPF_ADD) {
		res.var_off = tnum_add(ptr->var_off, off->var_off);
		res.smin = ptr->smin + off->smin;
		res.smax = ptr->smax + off->smax;
	} else {
		res.var_off = tnum_sub(ptr->var_off, off->var_off);
		res.smin = ptr->smin - off->smax;
		res.smax = ptr->smax - off->smin;
	}
	res.umin = 0;
	res.umax = UINT64_MAX;
	res.s32_min = INT32_MIN;
	res.s32_max = INT32_MAX;
	res.u32_min = 0;
	res.u32_max = UINT32_MAX;
	vreg_bounds_sync(&res);
	if (res.smin < -V_MAX_VAR_OFF || res.smax > V_MAX_VAR_OFF)
		return verr(env, mask, NULL, "the variable offset of %s could overflow",
			    vreg_type_name(ptr));
	if (res.type == PTR_TO_PACKET || res.type == PTR_TO_PACKET_META) {
		/* a new variable part: nothing is known about its range yet */
		res.id = vnew_id(env);
		res.range = 0;
	}
	*dst = res;
	return 0;
}

/* ------------------------------------------------------------ ALU insns */

static int check_reg_init(struct venv *env, uint32_t regno)
{
	if (cur_regs(env)[regno].type == REG_NOT_INIT)
		return verr(env, 1u << regno,
			    regno >= 1 && regno <= 5 ? "r1-r5 are undefined after a call; "
			    "save values in r6-r9 or on the stack" : "give it a value first",
			    "r%u is read before it was given a value", regno);
	return 0;
}

int vcheck_alu(struct venv *env, const struct bpf_insn *insn)
{
	struct vreg *regs = cur_regs(env);
	struct vreg *dst = &regs[insn->dst_reg];
	uint8_t op = isa_op(insn->code);
	bool is64 = isa_class(insn->code) == BPF_ALU64;
	bool x = isa_src(insn->code) == BPF_X;
	struct vreg imm, *src;
	int ret;

	if (op == BPF_END || op == BPF_NEG) {
		if ((ret = check_reg_init(env, insn->dst_reg)))
			return ret;
		if (vreg_is_pointer(dst))
			return verr(env, 1u << insn->dst_reg, NULL, "%s of a pointer is not allowed",
				    op == BPF_END ? "byte swap" : "negation");
		if (op == BPF_END)
			scalar_end(dst, insn);
		else
			scalar_neg(dst, is64);
		return 0;
	}

	if (x) {
		if ((ret = check_reg_init(env, insn->src_reg)))
			return ret;
		src = &regs[insn->src_reg];
	} else {
		vreg_mark_const(&imm, is64 ? (uint64_t)(int64_t)insn->imm : (uint32_t)insn->imm);
		src = &imm;
	}

	if (op == BPF_MOV) {
		if (x && insn->off) {
			if (vreg_is_pointer(src))
				return verr(env, 1u << insn->src_reg, NULL,
					    "sign extension of a pointer is not allowed");
			scalar_sext(dst, src, (unsigned)insn->off);
			if (!is64)
				truncate32(dst);
			return 0;
		}
		if (is64) {
			if (x && src->type == REG_SCALAR && !tnum_is_const(src->var_off) && !src->id)
				src->id = vnew_id(env);
			*dst = *src;
			return 0;
		}
		if (vreg_is_pointer(src)) {
			if (env->strict)
				return verr(env, 1u << insn->src_reg, "copy pointers with 64-bit mov",
					    "a 32-bit copy of a pointer leaks part of its address");
			vreg_mark_unknown(dst);
		} else {
			*dst = *src;
		}
		truncate32(dst);
		dst->id = 0;
		return 0;
	}

	if ((ret = check_reg_init(env, insn->dst_reg)))
		return ret;
	if ((op == BPF_DIV || op == BPF_MOD) && !x && insn->imm == 0)
		return verr(env, 0, NULL, "division by the constant zero");
	if ((op == BPF_LSH || op == BPF_RSH || op == BPF_ARSH) && !x &&
	    (insn->imm < 0 || insn->imm >= (is64 ? 64 : 32)))
		return verr(env, 0, NULL, "shift by %d is out of range for a %d-bit operation",
			    insn->imm, is64 ? 64 : 32);
	if (vreg_is_pointer(dst) || vreg_is_pointer(src)) {
		/* the checks below depend on the scalar's value */
		vmark_operands_matter(env, env->cur->insn_idx);
		return ptr_alu(env, insn, dst, src, is64);
	}
	scalar_alu(dst, src, op, is64, insn->off == 1);
	return 0;
}

/* ------------------------------------------------------ conditional jumps */

/* A scalar's bounds at one width, for the comparison logic. */
struct rng {
	uint64_t umin, umax;
	int64_t smin, smax;
	struct tnum t;
};

static struct rng rng_of(const struct vreg *r, bool is32)
{
	if (is32)
		return (struct rng){ r->u32_min, r->u32_max, r->s32_min, r->s32_max,
				     tnum_cast(r->var_off, 4) };
	return (struct rng){ r->umin, r->umax, r->smin, r->smax, r->var_off };
}

static void rng_store(struct vreg *r, const struct rng *g, bool is32)
{
	if (is32) {
		r->u32_min = (uint32_t)g->umin;
		r->u32_max = (uint32_t)g->umax;
		r->s32_min = (int32_t)g->smin;
		r->s32_max = (int32_t)g->smax;
		r->var_off = tnum_with_subreg(r->var_off, g->t);
		if (g->umin > g->umax || g->smin > g->smax) {
			r->u32_min = 1;   /* keep it visibly impossible */
			r->u32_max = 0;
			return;
		}
	} else {
		r->umin = g->umin;
		r->umax = g->umax;
		r->smin = g->smin;
		r->smax = g->smax;
		r->var_off = g->t;
		if (g->umin > g->umax || g->smin > g->smax)
			return;
	}
	vreg_bounds_sync(r);
}

static int branch_taken(const struct rng *a, const struct rng *b, uint8_t op)
{
	switch (op) {
	case BPF_JEQ:
	case BPF_JNE: {
		int eq = -1;

		if (tnum_is_const(a->t) && tnum_is_const(b->t))
			eq = a->t.value == b->t.value;
		else if (a->umin > b->umax || a->umax < b->umin || a->smin > b->smax ||
			 a->smax < b->smin ||
			 ((a->t.value ^ b->t.value) & ~(a->t.mask | b->t.mask)))
			eq = 0;
		if (eq < 0)
			return -1;
		return op == BPF_JEQ ? eq : !eq;
	}
	case BPF_JGT:
		return a->umin > b->umax ? 1 : a->umax <= b->umin ? 0 : -1;
	case BPF_JGE:
		return a->umin >= b->umax ? 1 : a->umax < b->umin ? 0 : -1;
	case BPF_JLT:
		return a->umax < b->umin ? 1 : a->umin >= b->umax ? 0 : -1;
	case BPF_JLE:
		return a->umax <= b->umin ? 1 : a->umin > b->umax ? 0 : -1;
	case BPF_JSGT:
		return a->smin > b->smax ? 1 : a->smax <= b->smin ? 0 : -1;
	case BPF_JSGE:
		return a->smin >= b->smax ? 1 : a->smax < b->smin ? 0 : -1;
	case BPF_JSLT:
		return a->smax < b->smin ? 1 : a->smin >= b->smax ? 0 : -1;
	case BPF_JSLE:
		return a->smax <= b->smin ? 1 : a->smin > b->smax ? 0 : -1;
	case BPF_JSET:
		if (a->t.value & b->t.value)
			return 1;
		if (!(tnum_max(a->t) & tnum_max(b->t)))
			return 0;
		return -1;
	}
	return -1;
}

static void make_impossible(struct rng *g)
{
	g->umin = 1;
	g->umax = 0;
}

/* Narrows a and b given that `a op b` holds (op already negated for the
 * fall-through; `jset_false` for the fall-through of JSET). */
static void narrow(struct rng *a, struct rng *b, uint8_t op, bool jset_false, bool is32)
{
	uint64_t umaxv = is32 ? U32_MAXV : UINT64_MAX;
	int64_t sminv = is32 ? INT32_MIN : INT64_MIN, smaxv = is32 ? INT32_MAX : INT64_MAX;
	struct rng *t;

	switch (op) {
	case BPF_JEQ:
		if ((a->t.value ^ b->t.value) & ~(a->t.mask | b->t.mask)) {
			make_impossible(a);
			return;
		}
		a->umin = b->umin = umax64(a->umin, b->umin);
		a->umax = b->umax = umin64(a->umax, b->umax);
		a->smin = b->smin = smax64(a->smin, b->smin);
		a->smax = b->smax = smin64(a->smax, b->smax);
		a->t = b->t = tnum_intersect(a->t, b->t);
		return;
	case BPF_JNE:
		if (!tnum_is_const(b->t)) {
			if (!tnum_is_const(a->t))
				return;
			t = a; a = b; b = t;
		}
		if (tnum_is_const(a->t) && a->t.value == b->t.value) {
			make_impossible(a);
			return;
		}
		if (a->umin == b->t.value) {
			if (a->umin == umaxv) make_impossible(a); else a->umin++;
		}
		if (a->umax == b->t.value) {
			if (a->umax == 0) make_impossible(a); else a->umax--;
		}
		if (a->smin == (is32 ? (int32_t)b->t.value : (int64_t)b->t.value)) {
			if (a->smin == smaxv) make_impossible(a); else a->smin++;
		}
		if (a->smax == (is32 ? (int32_t)b->t.value : (int64_t)b->t.value)) {
			if (a->smax == sminv) make_impossible(a); else a->smax--;
		}
		return;
	case BPF_JLT: t = a; a = b; b = t; __attribute__((fallthrough));
	case BPF_JGT:
		if (b->umin == umaxv || a->umax == 0) {
			make_impossible(a);
			return;
		}
		a->umin = umax64(a->umin, b->umin + 1);
		b->umax = umin64(b->umax, a->umax - 1);
		return;
	case BPF_JLE: t = a; a = b; b = t; __attribute__((fallthrough));
	case BPF_JGE:
		a->umin = umax64(a->umin, b->umin);
		b->umax = umin64(b->umax, a->umax);
		return;
	case BPF_JSLT: t = a; a = b; b = t; __attribute__((fallthrough));
	case BPF_JSGT:
		if (b->smin == smaxv || a->smax == sminv) {
			make_impossible(a);
			return;
		}
		a->smin = smax64(a->smin, b->smin + 1);
		b->smax = smin64(b->smax, a->smax - 1);
		return;
	case BPF_JSLE: t = a; a = b; b = t; __attribute__((fallthrough));
	case BPF_JSGE:
		a->smin = smax64(a->smin, b->smin);
		b->smax = smin64(b->smax, a->smax);
		return;
	case BPF_JSET:
		if (!tnum_is_const(b->t))
			return;
		if (jset_false) {
			if (a->t.value & b->t.value) {
				make_impossible(a);
				return;
			}
			a->t = tnum_and(a->t, tnum_const(~b->t.value));
		} else if (b->t.value && !(b->t.value & (b->t.value - 1))) {
			if (!(tnum_max(a->t) & b->t.value)) {
				make_impossible(a);
				return;
			}
			a->t = tnum_or(a->t, b->t);
		}
		return;
	}
}

struct find_scalar_arg {
	uint32_t id;
	const struct vreg *src;
};

static void copy_if_same_scalar(struct vreg *reg, void *arg)
{
	struct find_scalar_arg *a = arg;

	if (reg->type == REG_SCALAR && reg->id == a->id)
		*reg = *a->src;
}

/* Copies of a scalar (same id) learn what the jump taught the original. */
static void propagate_scalar(struct venv *env, const struct vreg *reg)
{
	struct vreg copy = *reg;
	struct find_scalar_arg a = { reg->id, &copy };

	if (reg->type == REG_SCALAR && reg->id)
		vfor_each_reg(env->cur, copy_if_same_scalar, &a);
}

struct pkt_range_arg {
	uint8_t type;
	uint32_t id;
	int32_t range;
};

static void set_pkt_range(struct vreg *reg, void *arg)
{
	struct pkt_range_arg *a = arg;

	if (reg->type == a->type && reg->id == a->id && reg->range < a->range)
		reg->range = a->range;
}

/* After a jump proved `pkt <= end` (or `<`) for the pointer `p`. */
static void mark_pkt_range(struct venv *env, const struct vreg *p)
{
	struct pkt_range_arg a = { p->type, p->id, p->off };

	if (p->off <= 0 || p->umax > V_MAX_PACKET_OFF ||
	    p->umax + (uint64_t)p->off > V_MAX_PACKET_OFF)
		return;
	vfor_each_reg(env->cur, set_pkt_range, &a);
}

static bool is_pkt_start_of_data(const struct vreg *r)
{
	return r->type == PTR_TO_PACKET && r->off == 0 && tnum_equals_const(r->var_off, 0);
}

/* Returns true when (a, b) is a (pointer, its end) pair: packet vs packet
 * end, or metadata vs packet start. */
static bool pkt_pair(const struct vreg *p, const struct vreg *end)
{
	return (p->type == PTR_TO_PACKET && end->type == PTR_TO_PACKET_END) ||
	       (p->type == PTR_TO_PACKET_META && is_pkt_start_of_data(end));
}

/* Applies what `dst op src` (taken) or its negation (!taken) teaches to the
 * current state. Returns false when that branch cannot happen. */
static bool apply_branch(struct venv *env, const struct bpf_insn *insn, bool taken)
{
	struct vreg *regs = cur_regs(env);
	uint8_t op = isa_op(insn->code);
	bool is32 = isa_class(insn->code) == BPF_JMP32;
	bool x = isa_src(insn->code) == BPF_X;
	struct vreg *dst = &regs[insn->dst_reg], *src = x ? &regs[insn->src_reg] : NULL;
	struct vreg imm;
	/* JSET has no negation: its not-taken side is handled on its own */
	uint8_t eff = taken || !isa_jmp_negate(op) ? op : isa_jmp_negate(op);

	if (!x) {
		vreg_mark_const(&imm, is32 ? (uint32_t)insn->imm : (uint64_t)(int64_t)insn->imm);
		src = &imm;
	}

	/* null checks */
	if (!is32 && (op == BPF_JEQ || op == BPF_JNE)) {
		struct vreg *p = NULL;

		if ((dst->flags & REG_MAYBE_NULL) && tnum_equals_const(src->var_off, 0) &&
		    src->type == REG_SCALAR)
			p = dst;
		else if ((src->flags & REG_MAYBE_NULL) && dst->type == REG_SCALAR &&
			 tnum_equals_const(dst->var_off, 0))
			p = src;
		if (p) {
			vmark_ptr_or_null(env, p->id, eff == BPF_JEQ);
			return true;
		}
	}

	/* packet range checks */
	if (!is32) {
		if (pkt_pair(dst, src)) {
			/* p op end */
			if (eff == BPF_JLE || eff == BPF_JLT)
				mark_pkt_range(env, dst);
			return true;
		}
		if (pkt_pair(src, dst)) {
			/* end op p */
			if (eff == BPF_JGE || eff == BPF_JGT)
				mark_pkt_range(env, src);
			return true;
		}
	}

	if (dst->type == REG_SCALAR && src->type == REG_SCALAR) {
		struct rng a = rng_of(dst, is32), b = rng_of(src, is32);
		struct vreg nd = *dst, ns = *src;

		narrow(&a, &b, eff, op == BPF_JSET && !taken, is32);
		rng_store(&nd, &a, is32);
		rng_store(&ns, &b, is32);
		if (!vreg_bounds_sane(&nd) || !vreg_bounds_sane(&ns))
			return false;
		*dst = nd;
		if (x) {
			*src = ns;
			propagate_scalar(env, src);
		}
		propagate_scalar(env, dst);
	}
	return true;
}

static int pointer_branch_taken(const struct vreg *dst, const struct vreg *src, uint8_t op,
				bool is32)
{
	const struct vreg *p = vreg_is_pointer(dst) ? dst : src;
	const struct vreg *other = p == dst ? src : dst;

	if (is32 || (op != BPF_JEQ && op != BPF_JNE))
		return -1;
	if (p->flags & REG_MAYBE_NULL || other->type != REG_SCALAR ||
	    !tnum_equals_const(other->var_off, 0))
		return -1;
	/* a pointer that cannot be NULL is never equal to 0 */
	return op == BPF_JNE;
}

int vcheck_cond_jmp(struct venv *env, const struct bpf_insn *insn, uint32_t idx,
		    uint32_t *next_idx)
{
	struct vreg *regs = cur_regs(env);
	uint8_t op = isa_op(insn->code);
	bool is32 = isa_class(insn->code) == BPF_JMP32;
	bool x = isa_src(insn->code) == BPF_X;
	uint32_t target = (uint32_t)isa_branch_target(insn, idx);
	struct vreg *dst = &regs[insn->dst_reg], *src;
	struct vreg imm;
	struct vstate *other = NULL, *saved;
	int taken, ret;

	if ((ret = check_reg_init(env, insn->dst_reg)))
		return ret;
	if (x) {
		if ((ret = check_reg_init(env, insn->src_reg)))
			return ret;
		src = &regs[insn->src_reg];
	} else {
		vreg_mark_const(&imm, is32 ? (uint32_t)insn->imm : (uint64_t)(int64_t)insn->imm);
		src = &imm;
	}

	if (vreg_is_pointer(dst) || vreg_is_pointer(src)) {
		bool allowed = pkt_pair(dst, src) || pkt_pair(src, dst) ||
			       ((op == BPF_JEQ || op == BPF_JNE) && !is32 &&
				((dst->flags & REG_MAYBE_NULL) || (src->flags & REG_MAYBE_NULL)));

		if (env->strict && !allowed)
			return verr(env, 1u << insn->dst_reg | (x ? 1u << insn->src_reg : 0),
				    "compare scalars, packet pointers with data_end, or nullable pointers with 0",
				    "pointer comparison is not allowed in strict (unprivileged) mode");
		/* whether a scalar operand is 0 decides a null check */
		vmark_operands_matter(env, idx);
		taken = pointer_branch_taken(dst, src, op, is32);
	} else {
		struct rng a = rng_of(dst, is32), b = rng_of(src, is32);

		taken = branch_taken(&a, &b, op);
	}

	/* Followed one way only, the operands' values decided the path: a
	 * state with other values could go the way not explored. */
	if (taken == 1) {
		vmark_operands_matter(env, idx);
		*next_idx = target;
		return 0;
	}
	if (taken == 0) {
		vmark_operands_matter(env, idx);
		*next_idx = idx + 1;
		return 0;
	}

	/* both ways: the jump target is explored later */
	ret = vpush_branch(env, target, &other);
	if (ret)
		return ret;
	saved = env->cur;
	env->cur = other;
	if (!apply_branch(env, insn, true)) {
		env->cur = saved;
		vdrop_pushed_branch(env);   /* the branch cannot happen */
		vmark_operands_matter(env, idx);
	} else {
		env->cur = saved;
	}
	if (!apply_branch(env, insn, false)) {
		vmark_operands_matter(env, idx);
		*next_idx = UINT32_MAX;   /* this path ends here */
		return 0;
	}
	*next_idx = idx + 1;
	return 0;
}
