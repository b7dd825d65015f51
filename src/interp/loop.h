/* SPDX-License-Identifier: MIT */
/*
 * The dispatch loop, instantiated twice (loop_checked.c, loop_unchecked.c)
 * with INTERP_CHECKED set to 1 or 0 and INTERP_LOOP_NAME naming the function:
 * the unchecked copy carries no bounds test, no budget counter and no
 * alignment test at all, rather than testing a flag at run time.
 *
 * Budget: counted per straight-line segment, not per instruction. `seg`
 * points at the record where control last landed; an instruction that moves
 * control elsewhere (taken jump, call, exit) charges `pc - seg + 1` records
 * and the landing record becomes the new `seg`. A lddw moves `seg` up by one
 * so it counts as one instruction. The count is therefore exact at every
 * control transfer, and the program stops with -E2BIG at the first transfer
 * (or exit) where more instructions than the budget have run.
 *
 * Included only by those two files; not a public header.
 */
#include <errno.h>
#include <string.h>

#include "interp/interp_internal.h"

#ifndef INTERP_CHECKED
#error "define INTERP_CHECKED (0 or 1) before including loop.h"
#endif

static inline uint64_t loop_sdiv64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT64_MAX) /* x / -1 = -x; INT64_MIN / -1 wraps to INT64_MIN */
		return 0 - a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t loop_smod64(uint64_t a, uint64_t b)
{
	if (b == 0)
		return a;
	if (b == UINT64_MAX) /* INT64_MIN % -1 would trap on x86 */
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t loop_sdiv32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return 0;
	if (b == UINT32_MAX)
		return 0u - a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t loop_smod32(uint32_t a, uint32_t b)
{
	if (b == 0)
		return a;
	if (b == UINT32_MAX)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

/* [lo, lo+len) holds all of [addr, addr+size); size >= 1. Written so that no
 * sum can wrap around. */
static inline bool loop_span_ok(uint64_t addr, uint32_t size, uintptr_t lo, size_t len)
{
	uint64_t rel = addr - lo;

	return rel < len && len - rel >= size;
}

int INTERP_LOOP_NAME(const struct interp_image *image, struct uebpf_run_ctx *rc,
		     const struct interp_entry *entry, uint64_t *ret,
		     struct interp_fault *fault, const void *const **labels_out)
{
	static const void *const labels[IOP__COUNT] = {
#define LABEL4(n) [IOP_##n##64_K] = &&op_##n##64_K, [IOP_##n##64_X] = &&op_##n##64_X, \
		  [IOP_##n##32_K] = &&op_##n##32_K, [IOP_##n##32_X] = &&op_##n##32_X,
		INTERP_ALU_OPS(LABEL4)
		INTERP_JMP_OPS(LABEL4)
#undef LABEL4
#define LABEL_ATOMIC(n) [IOP_A32_##n] = &&op_A32_##n, [IOP_A64_##n] = &&op_A64_##n,
		INTERP_ATOMIC_OPS(LABEL_ATOMIC)
#undef LABEL_ATOMIC
#define LABEL1(n) [IOP_##n] = &&op_##n,
		INTERP_OTHER_OPS(LABEL1)
#undef LABEL1
	};
	struct {
		const struct irec *ret;
		uint64_t saved[5]; /* r6..r10 */
	} frames[UEBPF_MAX_CALL_DEPTH];
	uint64_t reg[ISA_NR_REGS] = { 0 };
	const struct irec *base, *pc, *seg, *target;
	uebpf_helper_fn fn;
	unsigned depth = 0, max_depth;
	int64_t budget;
	const uint8_t *pkt_data;
	size_t pkt_len;
	uintptr_t stack_lo, mem_lo;
	size_t stack_len, mem_len;
	bool mem_writable;

	if (labels_out) {
		*labels_out = labels;
		return 0;
	}

	base = image->code[INTERP_CHECKED];
	pc = seg = base + entry->pc;
	max_depth = entry->max_depth;
	budget = rc->budget_left > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)rc->budget_left;
	pkt_data = rc->pkt_data;
	pkt_len = rc->pkt_len;
	stack_lo = rc->stack_lo;
	stack_len = rc->stack_hi - rc->stack_lo;
	mem_lo = rc->mem_lo;
	mem_len = rc->mem_hi - rc->mem_lo;
	mem_writable = rc->mem_writable;
	(void)seg; (void)budget; (void)stack_lo; (void)stack_len;
	(void)mem_lo; (void)mem_len; (void)mem_writable;

	memcpy(&reg[1], entry->args, sizeof(entry->args));
	reg[ISA_REG_FP] = entry->fp;

#define DST reg[pc->dst]
#define SRC reg[pc->src]
#define OFF ((uint64_t)(int64_t)pc->off)
#define UIMM ((uint64_t)(int64_t)pc->imm)
#define NEXT do { pc++; goto *pc->handler; } while (0)

/* Charges the segment that ends at `pc` (see the top of the file). */
#define CHARGE() do { \
		if (INTERP_CHECKED) { \
			budget -= pc - seg + 1; \
			if (__builtin_expect(budget < 0, 0)) \
				goto fault_budget; \
		} \
	} while (0)

#define TRANSFER(to) do { \
		target = (to); \
		CHARGE(); \
		pc = seg = target; \
		goto *pc->handler; \
	} while (0)

#define CHECK_ACCESS(ADDR, SIZE, WRITE) do { \
		if (INTERP_CHECKED && \
		    !loop_span_ok((ADDR), (SIZE), stack_lo, stack_len) && \
		    !((!(WRITE) || mem_writable) && loop_span_ok((ADDR), (SIZE), mem_lo, mem_len)) && \
		    !run_ctx_access_ok(rc, (ADDR), (SIZE), (WRITE))) { \
			fault->kind = IFAULT_ACCESS; \
			fault->addr = (ADDR); \
			fault->size = (SIZE); \
			fault->write = (WRITE); \
			goto fault_out; \
		} \
	} while (0)

	goto *pc->handler;

	/* ------------------------------------------------------------ ALU */
#define ALU64(NAME, EXPR) \
	op_##NAME##64_K: { const uint64_t a = DST, b = UIMM; (void)a; DST = (EXPR); NEXT; } \
	op_##NAME##64_X: { const uint64_t a = DST, b = SRC; (void)a; DST = (EXPR); NEXT; }
#define ALU32(NAME, EXPR) \
	op_##NAME##32_K: { const uint32_t a = (uint32_t)DST, b = (uint32_t)pc->imm; (void)a; \
			   DST = (uint32_t)(EXPR); NEXT; } \
	op_##NAME##32_X: { const uint32_t a = (uint32_t)DST, b = (uint32_t)SRC; (void)a; \
			   DST = (uint32_t)(EXPR); NEXT; }

	ALU64(ADD, a + b)
	ALU64(SUB, a - b)
	ALU64(MUL, a * b)
	ALU64(DIV, b ? a / b : 0)
	ALU64(SDIV, loop_sdiv64(a, b))
	ALU64(MOD, b ? a % b : a)
	ALU64(SMOD, loop_smod64(a, b))
	ALU64(OR, a | b)
	ALU64(AND, a & b)
	ALU64(LSH, a << (b & 63))
	ALU64(RSH, a >> (b & 63))
	ALU64(ARSH, (uint64_t)((int64_t)a >> (b & 63)))
	ALU64(XOR, a ^ b)
	ALU64(MOV, b)

	ALU32(ADD, a + b)
	ALU32(SUB, a - b)
	ALU32(MUL, a * b)
	ALU32(DIV, b ? a / b : 0)
	ALU32(SDIV, loop_sdiv32(a, b))
	ALU32(MOD, b ? a % b : a)
	ALU32(SMOD, loop_smod32(a, b))
	ALU32(OR, a | b)
	ALU32(AND, a & b)
	ALU32(LSH, a << (b & 31))
	ALU32(RSH, a >> (b & 31))
	ALU32(ARSH, (uint32_t)((int32_t)a >> (b & 31)))
	ALU32(XOR, a ^ b)
	ALU32(MOV, b)
#undef ALU64
#undef ALU32

op_NEG64:	DST = 0 - DST; NEXT;
op_NEG32:	DST = (uint32_t)(0u - (uint32_t)DST); NEXT;
op_MOVSX64_8:	DST = (uint64_t)(int64_t)(int8_t)SRC; NEXT;
op_MOVSX64_16:	DST = (uint64_t)(int64_t)(int16_t)SRC; NEXT;
op_MOVSX64_32:	DST = (uint64_t)(int64_t)(int32_t)SRC; NEXT;
op_MOVSX32_8:	DST = (uint32_t)(int32_t)(int8_t)SRC; NEXT;
op_MOVSX32_16:	DST = (uint32_t)(int32_t)(int16_t)SRC; NEXT;
op_ZEXT16:	DST = (uint16_t)DST; NEXT;
op_ZEXT32:	DST = (uint32_t)DST; NEXT;
op_BSWAP16:	DST = __builtin_bswap16((uint16_t)DST); NEXT;
op_BSWAP32:	DST = __builtin_bswap32((uint32_t)DST); NEXT;
op_BSWAP64:	DST = __builtin_bswap64(DST); NEXT;
op_NOP:		NEXT;

op_LDDW:
	DST = pc[1].value;
	if (INTERP_CHECKED)
		seg++;
	pc += 2;
	goto *pc->handler;
op_LDDW_SLOT2:
	/* The decoder refuses jumps here; reaching it means a decoder bug. */
	fault->kind = IFAULT_BAD_SLOT;
	goto fault_out;

	/* ------------------------------------------------ legacy packet loads */
#define PKT_LOAD(NAME, SIZE, OFFSET) \
	op_LD_##NAME: { \
		const int64_t o = (OFFSET); \
		uint64_t v = 0; \
		if (o < 0 || (uint64_t)o + (SIZE) > pkt_len) { \
			reg[0] = 0; \
			goto program_exit; \
		} \
		for (unsigned i = 0; i < (SIZE); i++) \
			v = v << 8 | pkt_data[o + i]; \
		reg[0] = v; \
		/* r1-r5 are clobbered, as after a helper call in the kernel */ \
		reg[1] = reg[2] = reg[3] = reg[4] = reg[5] = 0; \
		NEXT; \
	}
	PKT_LOAD(ABS_B, 1, pc->imm)
	PKT_LOAD(ABS_H, 2, pc->imm)
	PKT_LOAD(ABS_W, 4, pc->imm)
	PKT_LOAD(IND_B, 1, (int32_t)((uint32_t)SRC + (uint32_t)pc->imm))
	PKT_LOAD(IND_H, 2, (int32_t)((uint32_t)SRC + (uint32_t)pc->imm))
	PKT_LOAD(IND_W, 4, (int32_t)((uint32_t)SRC + (uint32_t)pc->imm))
#undef PKT_LOAD

	/* ------------------------------------------------- loads and stores */
#define LOAD(NAME, T, EXTEND) \
	op_##NAME: { \
		const uint64_t addr = SRC + OFF; \
		T v; \
		CHECK_ACCESS(addr, sizeof(T), false); \
		memcpy(&v, (const void *)(uintptr_t)addr, sizeof(T)); \
		DST = (uint64_t)EXTEND v; \
		NEXT; \
	}
	LOAD(LDX_B, uint8_t, )
	LOAD(LDX_H, uint16_t, )
	LOAD(LDX_W, uint32_t, )
	LOAD(LDX_DW, uint64_t, )
	LOAD(LDXS_B, int8_t, (int64_t))
	LOAD(LDXS_H, int16_t, (int64_t))
	LOAD(LDXS_W, int32_t, (int64_t))
#undef LOAD

#define STORE(NAME, T, VALUE) \
	op_##NAME: { \
		const uint64_t addr = DST + OFF; \
		const T v = (T)(VALUE); \
		CHECK_ACCESS(addr, sizeof(T), true); \
		memcpy((void *)(uintptr_t)addr, &v, sizeof(T)); \
		NEXT; \
	}
	STORE(ST_B, uint8_t, pc->imm)
	STORE(ST_H, uint16_t, pc->imm)
	STORE(ST_W, uint32_t, pc->imm)
	STORE(ST_DW, uint64_t, UIMM)
	STORE(STX_B, uint8_t, SRC)
	STORE(STX_H, uint16_t, SRC)
	STORE(STX_W, uint32_t, SRC)
	STORE(STX_DW, uint64_t, SRC)
#undef STORE

	/* ---------------------------------------------------------- atomics */
	/* A misaligned locked access is a split lock, which some kernels turn
	 * into SIGBUS: refuse it instead of letting it crash the host. */
#define ATOMIC_PTR(T) ({ \
		const uint64_t addr = DST + OFF; \
		if (INTERP_CHECKED && (addr & (sizeof(T) - 1))) { \
			fault->kind = IFAULT_MISALIGNED; \
			fault->addr = addr; \
			fault->size = sizeof(T); \
			goto fault_out; \
		} \
		CHECK_ACCESS(addr, sizeof(T), true); \
		(T *)(uintptr_t)addr; \
	})
#define ATOMIC_RMW(W, T, NAME, BUILTIN, FETCH) \
	op_A##W##_##NAME: { \
		T *p = ATOMIC_PTR(T); \
		const T old = BUILTIN(p, (T)SRC, __ATOMIC_SEQ_CST); \
		if (FETCH) \
			SRC = old; \
		NEXT; \
	}
#define ATOMIC_WIDTH(W, T) \
	ATOMIC_RMW(W, T, ADD, __atomic_fetch_add, 0) \
	ATOMIC_RMW(W, T, OR, __atomic_fetch_or, 0) \
	ATOMIC_RMW(W, T, AND, __atomic_fetch_and, 0) \
	ATOMIC_RMW(W, T, XOR, __atomic_fetch_xor, 0) \
	ATOMIC_RMW(W, T, FADD, __atomic_fetch_add, 1) \
	ATOMIC_RMW(W, T, FOR, __atomic_fetch_or, 1) \
	ATOMIC_RMW(W, T, FAND, __atomic_fetch_and, 1) \
	ATOMIC_RMW(W, T, FXOR, __atomic_fetch_xor, 1) \
	ATOMIC_RMW(W, T, XCHG, __atomic_exchange_n, 1) \
	op_A##W##_CMPXCHG: { \
		T *p = ATOMIC_PTR(T); \
		T expected = (T)reg[0]; \
		__atomic_compare_exchange_n(p, &expected, (T)SRC, false, \
					    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
		reg[0] = expected; /* the old value either way */ \
		NEXT; \
	}
	ATOMIC_WIDTH(32, uint32_t)
	ATOMIC_WIDTH(64, uint64_t)
#undef ATOMIC_WIDTH
#undef ATOMIC_RMW
#undef ATOMIC_PTR

	/* ------------------------------------------------------------ jumps */
op_JA:
	TRANSFER(pc + 1 + pc->imm);

#define JMP4(NAME, COND) \
	op_##NAME##64_K: { typedef int64_t S; (void)(S)0; const uint64_t a = DST, b = UIMM; \
			   if (COND) { TRANSFER(pc + 1 + pc->off); } else { NEXT; } } \
	op_##NAME##64_X: { typedef int64_t S; (void)(S)0; const uint64_t a = DST, b = SRC; \
			   if (COND) { TRANSFER(pc + 1 + pc->off); } else { NEXT; } } \
	op_##NAME##32_K: { typedef int32_t S; (void)(S)0; const uint32_t a = (uint32_t)DST, b = (uint32_t)pc->imm; \
			   if (COND) { TRANSFER(pc + 1 + pc->off); } else { NEXT; } } \
	op_##NAME##32_X: { typedef int32_t S; (void)(S)0; const uint32_t a = (uint32_t)DST, b = (uint32_t)SRC; \
			   if (COND) { TRANSFER(pc + 1 + pc->off); } else { NEXT; } }
	JMP4(JEQ, a == b)
	JMP4(JNE, a != b)
	JMP4(JGT, a > b)
	JMP4(JGE, a >= b)
	JMP4(JLT, a < b)
	JMP4(JLE, a <= b)
	JMP4(JSGT, (S)a > (S)b)
	JMP4(JSGE, (S)a >= (S)b)
	JMP4(JSLT, (S)a < (S)b)
	JMP4(JSLE, (S)a <= (S)b)
	JMP4(JSET, (a & b) != 0)
#undef JMP4

	/* ------------------------------------------------------------ calls */
op_CALL_HELPER:
	fn = pc->fn;
do_helper_call:
	/* A helper may call back into the program (run_ctx_call): tell it
	 * where the calling frame is and share the budget, charged up to and
	 * including this call. An overdrawn budget is not reported here but at
	 * the next transfer, as without the call (the JIT does the same). */
	if (INTERP_CHECKED) {
		budget -= pc - seg + 1;
		seg = pc + 1;
		rc->budget_left = budget < 0 ? 0 : (uint64_t)budget;
	}
	rc->cur_fp = reg[ISA_REG_FP];
	reg[0] = fn(reg[1], reg[2], reg[3], reg[4], reg[5], rc);
	if (INTERP_CHECKED && budget >= 0)
		budget = rc->budget_left > (uint64_t)INT64_MAX ? INT64_MAX
							       : (int64_t)rc->budget_left;
	if (__builtin_expect(rc->exit_requested, 0)) {
		reg[0] = rc->exit_value;
		goto program_exit;
	}
	NEXT;

op_CALL_LOCAL:
	target = pc + 1 + pc->imm;
do_local_call:
	/* Checked in both modes: the frames array is host memory. */
	if (__builtin_expect(depth + 1 >= max_depth, 0)) {
		fault->kind = IFAULT_DEPTH;
		goto fault_out;
	}
	CHARGE();
	frames[depth].ret = pc + 1;
	memcpy(frames[depth].saved, &reg[6], sizeof(frames[depth].saved));
	depth++;
	reg[ISA_REG_FP] -= UEBPF_STACK_SIZE;
	pc = seg = target;
	goto *pc->handler;

op_CALLX: {
	/* A helper id, or a code address (lddw src=4) of a sub-program. */
	const uint64_t value = DST;
	size_t idx;

	if (value <= UINT32_MAX) {
		const struct uebpf_helper_proto *proto =
			uebpf_helper_set_find(image->helpers, (uint32_t)value);

		if (proto && proto->fn) {
			fn = proto->fn;
			goto do_helper_call;
		}
	} else if ((value & PROG_CODE_ADDR_TAG_MASK) == PROG_CODE_ADDR_TAG &&
		   (idx = value & ~PROG_CODE_ADDR_TAG_MASK) < image->cnt &&
		   image->is_func_entry[idx]) {
		target = base + idx;
		goto do_local_call;
	}
	fault->kind = IFAULT_CALLX;
	fault->addr = value;
	goto fault_out;
}

op_EXIT:
	if (depth == 0)
		goto program_exit;
	CHARGE();
	depth--;
	memcpy(&reg[6], frames[depth].saved, sizeof(frames[depth].saved));
	pc = seg = frames[depth].ret;
	goto *pc->handler;

program_exit:
	CHARGE();
	if (INTERP_CHECKED)
		rc->budget_left = (uint64_t)budget;
	*ret = reg[0];
	return 0;

fault_budget:
	fault->kind = IFAULT_BUDGET;
	fault->addr = rc->budget_total ? rc->budget_total : rc->budget_left;
	fault->insn = (size_t)(pc - base);
	rc->budget_left = 0;
	return -E2BIG;

fault_out:
	fault->insn = (size_t)(pc - base);
	return fault->kind == IFAULT_DEPTH ? -E2BIG : -EFAULT;

#undef DST
#undef SRC
#undef OFF
#undef UIMM
#undef NEXT
#undef CHARGE
#undef TRANSFER
#undef CHECK_ACCESS
}
