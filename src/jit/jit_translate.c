/* SPDX-License-Identifier: MIT */
/*
 * Translation of eBPF instructions to x86-64 machine code, in one pass:
 * every jump between instructions uses a 32-bit displacement, recorded and
 * patched once all instruction offsets are known, so no size iteration is
 * needed. Rare paths (failed checks, taken branches that must be charged to
 * the budget, exits requested by helpers) are emitted out of line after the
 * instructions, so the straight-line code stays dense.
 *
 * Layout of the code:
 *   entry:   saves the host's callee-saved registers, loads the eBPF entry
 *            registers, `call`s instruction 0, stores r0 and returns;
 *   unwind:  restores the host stack pointer saved at entry and returns the
 *            status in eax (every stop, from any call depth, ends here);
 *   access_slow: the out-of-line bounds check (run_ctx_access_ok);
 *   body:    instruction 0 .. n-1 (offsets in insn_off);
 *   stubs:   the out-of-line paths of individual instructions.
 *
 * `exit` is a native `ret` in every frame: the entry `call`s instruction 0
 * and local calls `call` their target, so returning is decided by the
 * native call stack at run time, exactly as the interpreter decides it by
 * its frame count, even when an unverified program jumps between
 * sub-programs.
 *
 * Semantics follow the interpreter (src/interp/loop.h) instruction for
 * instruction, including the budget accounting, so the two engines give the
 * same results, faults and side effects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "common/error.h"
#include "jit/jit_idiom.h"
#include "jit/jit_internal.h"
#include "jit/jit_mapcall.h"
#include "jit/x86_emit.h"
#include "prog/map_refs.h"

/* eBPF register -> x86 register. r1..r5 are the SysV argument registers so
 * helper calls need no shuffling; r6..r10 are callee-saved so they survive
 * helper calls. */
static const uint8_t reg_map[ISA_NR_REGS] = {
	X86_RAX, X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8,
	X86_RBX, X86_R13, X86_R14, X86_R15, X86_RBP,
};

#define R_STATE X86_R12     /* struct jit_state *, callee-saved */
#define R_TMP0  X86_R9      /* scratch (unchecked code); the 6th argument of helper calls */
#define R_BUDGET X86_R9     /* checked code: the budget, spilled to state.budget
			       around the few sequences that need r9 */
#define R_TMP1  X86_R10     /* scratch: blinded immediates, saved registers */
#define R_ADDR  X86_R11     /* scratch: checked addresses, divisors */

#define ST(field) ((int32_t)offsetof(struct jit_state, field))
#define RC(field) ((int32_t)offsetof(struct uebpf_run_ctx, field))

/* The frame the stack shortcut may rely on: r10 points at the top of a
 * UEBPF_STACK_SIZE frame that lies inside the stack. */
#define FRAME_SIZE UEBPF_STACK_SIZE

enum stub_kind {
	STUB_ACCESS,   /* slow bounds check, then back to `resume` */
	STUB_FAULT,    /* stop with `status` at `insn` */
	STUB_TAKEN,    /* a taken branch: charge the budget, jump to `target` */
	STUB_END,      /* end the program (helper exit request, packet load
			  out of range): charge the budget, stop with `status` */
};

struct stub {
	enum stub_kind kind;
	uint32_t insn;
	uint32_t patch[2];          /* rel32 fields that jump here */
	unsigned nr_patch;
	uint32_t resume;            /* ACCESS: where to continue */
	uint32_t info;              /* ACCESS/FAULT: size | write << 8 */
	int32_t status;             /* FAULT/END */
	uint32_t charge;            /* TAKEN/END: instructions to charge, 0: none */
	uint32_t target;            /* TAKEN: instruction index */
	bool fault_addr_in_r11;     /* FAULT: store r11 as the fault address */
	bool zero_r0;               /* END */
	bool check_budget;          /* END without a charge: stop if overdrawn */
	uint8_t addr_reg;           /* ACCESS: the register holding the address */
};

struct jump_fixup {
	uint32_t at;                /* rel32 field */
	uint32_t insn;              /* target instruction */
};

struct jit_ctx {
	struct x86_buf b;
	const struct uebpf_prog *prog;
	const struct bpf_insn *insns;
	size_t cnt;
	bool checked;
	bool blind;
	bool bmi2;                  /* shlx/shrx/sarx available */
	uint64_t key;               /* blinding key */
	uint8_t *is_target;         /* [cnt + 1]: a jump or call lands there */
	/* [cnt + 1]: a backward jump lands there (unchecked code aligns it) */
	uint8_t *is_loop_head;
	uint32_t *insn_off;
	uint8_t *is_func_entry;
	struct jump_fixup *fix;
	size_t nr_fix, cap_fix;
	struct stub *stubs;
	size_t nr_stubs, cap_stubs;
	struct stub spare_stub;
	/* Budget accounting (checked mode): a segment starts wherever the
	 * interpreter's segment can start (jump and call targets, returns from
	 * local calls); count[i] = instructions (lddw = 1) before slot i. */
	uint32_t *seg_start;
	uint32_t *count;
	uint32_t unwind_off;
	uint32_t access_slow_off;
	uint32_t callback_off;
	/* The lean entry (jit_lean_fn): possible when nothing in the code
	 * needs the state in r12; lean_saved are the callee-saved host
	 * registers the body writes (eBPF r6..r10). */
	bool lean_ok;
	bool lean_uses_fp;
	bool lean_calls_c;          /* direct map calls: C wants rsp 16-aligned */
	uint8_t lean_saved[5];
	unsigned nr_lean_saved;
	/* Copy loops and switch trees translated as a whole (unchecked,
	 * unblinded code only; jit_idiom.h). */
	struct jit_idioms idioms;
	struct jit_jump_table *tables;   /* the idioms' inline tables, for the listing */
	size_t nr_tables, cap_tables;
	bool oom;
	int error;                  /* first translation error */
	size_t error_insn;
	const char *error_why;
};

/* Multi-byte NOPs (the forms the Intel and AMD optimisation manuals give)
 * up to the next `align`-byte boundary. */
static void emit_align_nops(struct x86_buf *b, size_t align)
{
	static const uint8_t nops[9][9] = {
		{ 0x90 },
		{ 0x66, 0x90 },
		{ 0x0f, 0x1f, 0x00 },
		{ 0x0f, 0x1f, 0x40, 0x00 },
		{ 0x0f, 0x1f, 0x44, 0x00, 0x00 },
		{ 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
		{ 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
		{ 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
		{ 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
	};
	size_t pad = (align - b->len % align) % align;

	while (pad) {
		size_t n = pad > 9 ? 9 : pad;

		for (size_t k = 0; k < n; k++)
			x86_byte(b, nops[n - 1][k]);
		pad -= n;
	}
}

/* ------------------------------------------------------------ bookkeeping */

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t n;
	void *q;

	if (need <= *cap)
		return true;
	n = *cap ? *cap * 2 : 64;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static void add_jump_fixup(struct jit_ctx *c, size_t at, size_t insn)
{
	if (!grow((void **)&c->fix, &c->cap_fix, c->nr_fix + 1, sizeof(*c->fix))) {
		c->oom = true;
		return;
	}
	c->fix[c->nr_fix++] = (struct jump_fixup){ .at = (uint32_t)at, .insn = (uint32_t)insn };
}

static struct stub *new_stub(struct jit_ctx *c, enum stub_kind kind, size_t insn)
{
	struct stub *s;

	if (!grow((void **)&c->stubs, &c->cap_stubs, c->nr_stubs + 1, sizeof(*c->stubs))) {
		c->oom = true;   /* the result is thrown away; keep emitting safely */
		memset(&c->spare_stub, 0, sizeof(c->spare_stub));
		return &c->spare_stub;
	}
	s = &c->stubs[c->nr_stubs++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->insn = (uint32_t)insn;
	return s;
}

/* Emits a jcc rel32 (or jmp when cc < 0) to a stub. */
static void jump_to_stub(struct jit_ctx *c, struct stub *s, int cc)
{
	size_t at = cc < 0 ? x86_jmp32(&c->b) : x86_jcc32(&c->b, (enum x86_cc)cc);

	if (s->nr_patch < 2)
		s->patch[s->nr_patch++] = (uint32_t)at;
}

static void fail(struct jit_ctx *c, size_t insn, const char *why)
{
	if (!c->error) {
		c->error = -EINVAL;
		c->error_insn = insn;
		c->error_why = why;
	}
}

/* Instructions the budget is charged for when control leaves instruction
 * `i` (taken jump, call, exit): those of its segment up to `i`. */
static uint32_t charge_at(const struct jit_ctx *c, size_t i)
{
	return c->count[i] + 1 - c->count[c->seg_start[i]];
}

/* Checked code keeps the budget in a register: a memory operand would put
 * a store-to-load forwarding delay into every loop iteration. Sequences
 * that need r9 (division, fetch-and-op loops, calls into C) save it in
 * state.budget around themselves, and every stop stores it there. */
static void budget_spill(struct jit_ctx *c)
{
	if (c->checked)
		x86_store(&c->b, 8, R_STATE, ST(budget), R_BUDGET);
}

static void budget_reload(struct jit_ctx *c)
{
	if (c->checked)
		x86_load(&c->b, 8, false, R_BUDGET, R_STATE, ST(budget));
}

/* budget -= n; and when `check`, stop with -E2BIG at `insn` if the budget
 * went negative (the interpreter's CHARGE). */
static void emit_charge(struct jit_ctx *c, size_t insn, uint32_t n, bool check)
{
	struct stub *s;

	x86_alu_ri(&c->b, true, X86_SUB, R_BUDGET, (int32_t)n);
	if (!check)
		return;
	s = new_stub(c, STUB_FAULT, insn);
	s->status = JIT_STATUS_FAULT_BUDGET;
	jump_to_stub(c, s, X86_CC_S);
}

/* ------------------------------------------------------------- constants */

/* reg = (int64_t)imm, without the immediate appearing in the code when
 * blinding. */
static void load_imm32_sext(struct jit_ctx *c, unsigned reg, int32_t imm)
{
	if (c->blind) {
		int32_t key = (int32_t)(uint32_t)c->key;

		/* Sign extension commutes with XOR, so the 64-bit result is
		 * sext(imm ^ key) ^ sext(key) = sext(imm). */
		x86_rex(&c->b, true, 0, reg, false);
		x86_byte(&c->b, 0xc7);
		x86_modrm_reg(&c->b, 0, reg);
		x86_u32(&c->b, (uint32_t)(imm ^ key));
		x86_alu_ri(&c->b, true, X86_XOR, reg, key);
	} else {
		x86_mov_imm64(&c->b, reg, (uint64_t)(int64_t)imm);
	}
}

static void load_imm64(struct jit_ctx *c, unsigned reg, uint64_t value)
{
	if (c->blind) {
		x86_movabs(&c->b, reg, value ^ c->key);
		x86_movabs(&c->b, R_TMP1, c->key);
		x86_alu_rr(&c->b, true, X86_XOR, reg, R_TMP1);
	} else {
		x86_mov_imm64(&c->b, reg, value);
	}
}

/* ------------------------------------------------------------------- ALU */

static enum x86_alu alu_op(uint8_t op)
{
	switch (op) {
	case BPF_ADD: return X86_ADD;
	case BPF_SUB: return X86_SUB;
	case BPF_OR: return X86_OR;
	case BPF_AND: return X86_AND;
	default: return X86_XOR;
	}
}

/* Division and modulo by the divisor in R_ADDR, RFC 9669 semantics:
 * x / 0 = 0, x % 0 = x, signed x / -1 = -x (no trap on INT_MIN),
 * signed x % -1 = 0. `test_zero`/`test_minus1` are false when the divisor is
 * a constant known not to be 0/-1. */
static void emit_div_core(struct jit_ctx *c, bool w, bool is_signed, bool is_mod,
			  unsigned dst, unsigned divisor, bool test_zero, bool test_minus1,
			  unsigned dead)
{
	struct x86_buf *b = &c->b;
	size_t j_nonzero = 0, j_done[2] = { 0 }, j_normal = 0;
	unsigned nd = 0;
	unsigned result = is_mod ? X86_RDX : X86_RAX;

	if (test_zero) {
		x86_test_rr(b, w, divisor, divisor);
		j_nonzero = x86_jcc8(b, X86_CC_NE);
		if (!is_mod)
			x86_op_rr(b, false, X86_OP(0x31), dst, dst);     /* dst = 0 */
		else if (!w)
			x86_mov_rr(b, false, dst, dst);                  /* zero-extend */
		j_done[nd++] = x86_jmp8(b);
		x86_patch8_here(b, j_nonzero);
	}
	if (is_signed && test_minus1) {
		x86_alu_ri(b, w, X86_CMP, divisor, -1);
		j_normal = x86_jcc8(b, X86_CC_NE);
		if (!is_mod)
			x86_neg(b, w, dst);
		else
			x86_op_rr(b, false, X86_OP(0x31), dst, dst);
		j_done[nd++] = x86_jmp8(b);
		x86_patch8_here(b, j_normal);
	}
	/* div uses rdx:rax, which hold eBPF r0 and r3: park them in scratch
	 * registers unless they are the destination or dead (bit 0: r0, bit
	 * 3: r3; dead_after). */
	budget_spill(c);
	if (dst != X86_RAX && !(dead & 1u << 0))
		x86_mov_rr(b, true, R_TMP0, X86_RAX);
	if (dst != X86_RDX && !(dead & 1u << 3))
		x86_mov_rr(b, true, R_TMP1, X86_RDX);
	if (dst != X86_RAX)
		x86_mov_rr(b, true, X86_RAX, dst);
	if (is_signed)
		x86_cqo(b, w);
	else
		x86_op_rr(b, false, X86_OP(0x31), X86_RDX, X86_RDX);
	if (is_signed)
		x86_idiv(b, w, divisor);
	else
		x86_div(b, w, divisor);
	if (dst != result)
		x86_mov_rr(b, true, dst, result);   /* 32-bit results are already zero-extended */
	if (dst != X86_RAX && !(dead & 1u << 0))
		x86_mov_rr(b, true, X86_RAX, R_TMP0);
	if (dst != X86_RDX && !(dead & 1u << 3))
		x86_mov_rr(b, true, X86_RDX, R_TMP1);
	budget_reload(c);
	for (unsigned k = 0; k < nd; k++)
		x86_patch8_here(b, j_done[k]);
}

/* eBPF registers (bit r) that the instruction after insns[i] overwrites
 * without reading, when control reaches it only from i: whatever value
 * they hold after i is dead. Unchecked code only: checked code may be an
 * unverified program whose next instruction faults with the registers as
 * they were. */
static unsigned dead_after(const struct jit_ctx *c, size_t i)
{
	const struct bpf_insn *next;
	uint8_t cls;

	if (c->checked || i + 1 >= c->cnt || c->is_target[i + 1])
		return 0;
	next = &c->insns[i + 1];
	cls = isa_class(next->code);
	if ((cls == BPF_ALU || cls == BPF_ALU64) && isa_op(next->code) == BPF_MOV &&
	    (isa_src(next->code) == BPF_K || next->src_reg != next->dst_reg))
		return 1u << next->dst_reg;
	if (isa_is_lddw(next))
		return 1u << next->dst_reg;
	return 0;
}

static void emit_div(struct jit_ctx *c, const struct bpf_insn *insn, bool w, unsigned dst)
{
	bool is_signed = insn->off == 1;
	bool is_mod = isa_op(insn->code) == BPF_MOD;
	unsigned dead = dead_after(c, (size_t)(insn - c->insns));

	if (isa_src(insn->code) == BPF_X) {
		unsigned divisor = reg_map[insn->src_reg];

		/* Divided by in place, unless it is in rdx:rax, which div
		 * overwrites (checked code keeps the copy it always made). */
		if (divisor == X86_RAX || divisor == X86_RDX || c->checked) {
			x86_mov_rr(&c->b, w, R_ADDR, divisor);
			divisor = R_ADDR;
		}
		emit_div_core(c, w, is_signed, is_mod, dst, divisor, true, true, dead);
		return;
	}
	/* Immediate divisors 0 and -1 are resolved here, as the interpreter's
	 * decoder does. */
	if (insn->imm == 0) {
		if (!is_mod)
			x86_op_rr(&c->b, false, X86_OP(0x31), dst, dst);
		else if (!w)
			x86_mov_rr(&c->b, false, dst, dst);
		return;
	}
	if (insn->imm == -1 && is_signed) {
		if (!is_mod)
			x86_neg(&c->b, w, dst);
		else
			x86_op_rr(&c->b, false, X86_OP(0x31), dst, dst);
		return;
	}
	load_imm32_sext(c, R_ADDR, insn->imm);  /* 32-bit ops use its low half */
	emit_div_core(c, w, is_signed, is_mod, dst, R_ADDR, false, false, dead);
}

static void emit_shift(struct jit_ctx *c, const struct bpf_insn *insn, bool w, unsigned dst)
{
	struct x86_buf *b = &c->b;
	enum x86_shift op;
	unsigned src = reg_map[insn->src_reg];

	switch (isa_op(insn->code)) {
	case BPF_LSH: op = X86_SHL; break;
	case BPF_RSH: op = X86_SHR; break;
	default: op = X86_SAR; break;
	}
	if (isa_src(insn->code) == BPF_K) {
		unsigned count = (unsigned)insn->imm & (w ? 63 : 31);

		if (count)
			x86_shift_ri(b, w, op, dst, (uint8_t)count);
		else if (!w)
			x86_mov_rr(b, false, dst, dst);
		return;
	}
	if (c->bmi2) {
		x86_shiftx(b, w, op, dst, dst, src);
		return;
	}
	/* The count must be in cl and x86 masks it like eBPF (to 5 or 6 bits);
	 * eBPF r4 lives in rcx, so park it in R_ADDR around the shift. */
	if (src == X86_RCX) {
		x86_shift_rcl(b, w, op, dst);
	} else if (dst == X86_RCX) {
		x86_mov_rr(b, true, R_ADDR, X86_RCX);
		x86_mov_rr(b, true, X86_RCX, src);
		x86_shift_rcl(b, w, op, R_ADDR);
		x86_mov_rr(b, true, X86_RCX, R_ADDR);
	} else {
		x86_mov_rr(b, true, R_ADDR, X86_RCX);
		x86_mov_rr(b, true, X86_RCX, src);
		x86_shift_rcl(b, w, op, dst);
		x86_mov_rr(b, true, X86_RCX, R_ADDR);
	}
}

static void emit_end(struct jit_ctx *c, const struct bpf_insn *insn, unsigned dst)
{
	struct x86_buf *b = &c->b;
	bool swap = isa_class(insn->code) == BPF_ALU64 || isa_src(insn->code) == BPF_TO_BE;

	switch (insn->imm) {
	case 16:
		if (swap)
			x86_rol16_8(b, dst);
		x86_extend_rr(b, false, false, 16, dst, dst);
		break;
	case 32:
		if (swap)
			x86_bswap(b, false, dst);
		else
			x86_mov_rr(b, false, dst, dst);
		break;
	default:
		if (swap)
			x86_bswap(b, true, dst);
		break;
	}
}

static void emit_alu(struct jit_ctx *c, const struct bpf_insn *insn)
{
	struct x86_buf *b = &c->b;
	bool w = isa_class(insn->code) == BPF_ALU64;
	bool x = isa_src(insn->code) == BPF_X;
	uint8_t op = isa_op(insn->code);
	unsigned dst = reg_map[insn->dst_reg];
	unsigned src = reg_map[insn->src_reg];

	switch (op) {
	case BPF_MOV:
		if (x && insn->off)
			x86_extend_rr(b, w, true, (unsigned)insn->off, dst, src);
		else if (x)
			x86_mov_rr(b, w, dst, src);
		else if (c->blind) {
			load_imm32_sext(c, R_TMP1, insn->imm);
			x86_mov_rr(b, w, dst, R_TMP1);
		} else
			x86_mov_imm64(b, dst, w ? (uint64_t)(int64_t)insn->imm : (uint32_t)insn->imm);
		break;
	case BPF_ADD: case BPF_SUB: case BPF_OR: case BPF_AND: case BPF_XOR:
		if (x)
			x86_alu_rr(b, w, alu_op(op), dst, src);
		else if (c->blind) {
			load_imm32_sext(c, R_TMP1, insn->imm);
			x86_alu_rr(b, w, alu_op(op), dst, R_TMP1);
		} else
			x86_alu_ri(b, w, alu_op(op), dst, insn->imm);
		break;
	case BPF_MUL:
		if (x)
			x86_imul_rr(b, w, dst, src);
		else if (c->blind) {
			load_imm32_sext(c, R_TMP1, insn->imm);
			x86_imul_rr(b, w, dst, R_TMP1);
		} else
			x86_imul_rri(b, w, dst, dst, insn->imm);
		break;
	case BPF_NEG:
		x86_neg(b, w, dst);
		break;
	case BPF_LSH: case BPF_RSH: case BPF_ARSH:
		emit_shift(c, insn, w, dst);
		break;
	case BPF_DIV: case BPF_MOD:
		emit_div(c, insn, w, dst);
		break;
	default: /* BPF_END */
		emit_end(c, insn, dst);
		break;
	}
}

/* ------------------------------------------------------------ memory */

/* Emits the checked-mode bounds test of [r11, r11+size): inline compares
 * against the stack, the input memory and the region the slow path last
 * found (jit_state.hot_*), the rest out of line. An address computed from
 * r10 is tested against the stack first; any other against the hot region
 * first (a loop over a packet or a map value hits it on the first test),
 * then the input, then the stack. */
static void emit_bounds_check(struct jit_ctx *c, size_t insn, unsigned addr, unsigned size,
			      bool write, bool from_fp)
{
	struct x86_buf *b = &c->b;
	int32_t k8 = 8 * (size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3);
	const int32_t stack[2] = { ST(stack_lo), ST(stack_last) + k8 };
	const int32_t mem[2] = { write ? ST(memw_lo) : ST(mem_lo),
				 (write ? ST(memw_last) : ST(mem_last)) + k8 };
	const int32_t hot[2] = { write ? ST(hotw_lo) : ST(hot_lo),
				 (write ? ST(hotw_last) : ST(hot_last)) + k8 };
	const int32_t *order[3] = { from_fp ? stack : hot, mem, from_fp ? hot : stack };
	size_t j_inside[2];
	struct stub *s = new_stub(c, STUB_ACCESS, insn);

	s->info = size | (write ? 1u << 8 : 0);
	s->addr_reg = (uint8_t)addr;
	for (unsigned r = 0; r < 2; r++) {
		size_t j_below;

		x86_alu_rm(b, true, X86_CMP, addr, R_STATE, order[r][0]);
		j_below = x86_jcc8(b, X86_CC_B);
		x86_alu_rm(b, true, X86_CMP, addr, R_STATE, order[r][1]);
		j_inside[r] = x86_jcc8(b, X86_CC_BE);
		x86_patch8_here(b, j_below);
	}
	x86_alu_rm(b, true, X86_CMP, addr, R_STATE, order[2][0]);
	jump_to_stub(c, s, X86_CC_B);
	x86_alu_rm(b, true, X86_CMP, addr, R_STATE, order[2][1]);
	jump_to_stub(c, s, X86_CC_A);
	x86_patch8_here(b, j_inside[0]);
	x86_patch8_here(b, j_inside[1]);
	s->resume = (uint32_t)b->len;
}

/* Where a load/store of `size` bytes at reg+off goes: returns the x86 base
 * register and sets *disp. In checked mode the address is computed into r11
 * and checked, except for r10-relative accesses inside the current frame,
 * which are inside the stack by construction. */
static unsigned emit_address(struct jit_ctx *c, size_t insn, unsigned reg, int16_t off,
			     unsigned size, bool write, int32_t *disp)
{
	if (!c->checked ||
	    (reg == ISA_REG_FP && off >= -FRAME_SIZE && off <= -(int32_t)size)) {
		*disp = off;
		return reg_map[reg];
	}
	if (off == 0) {   /* test the register itself */
		emit_bounds_check(c, insn, reg_map[reg], size, write, reg == ISA_REG_FP);
		*disp = 0;
		return reg_map[reg];
	}
	x86_lea(&c->b, R_ADDR, reg_map[reg], off);
	emit_bounds_check(c, insn, R_ADDR, size, write, reg == ISA_REG_FP);
	*disp = 0;
	return R_ADDR;
}

static void emit_ldx(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	unsigned size = isa_size_bytes(insn->code);
	int32_t disp;
	unsigned base = emit_address(c, i, insn->src_reg, insn->off, size, false, &disp);

	x86_load(&c->b, size, isa_mode(insn->code) == BPF_MEMSX, reg_map[insn->dst_reg],
		 base, disp);
}

static void emit_st(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	unsigned size = isa_size_bytes(insn->code);
	int32_t disp;
	unsigned base = emit_address(c, i, insn->dst_reg, insn->off, size, true, &disp);

	if (c->blind) {
		load_imm32_sext(c, R_TMP1, insn->imm);
		x86_store(&c->b, size, base, disp, R_TMP1);
	} else {
		x86_store_imm(&c->b, size, base, disp, insn->imm);
	}
}

static void emit_stx(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	unsigned size = isa_size_bytes(insn->code);
	int32_t disp;
	unsigned base = emit_address(c, i, insn->dst_reg, insn->off, size, true, &disp);

	x86_store(&c->b, size, base, disp, reg_map[insn->src_reg]);
}

static void emit_atomic(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	struct x86_buf *b = &c->b;
	bool w = isa_size(insn->code) == BPF_DW;
	unsigned size = w ? 8 : 4;
	unsigned src = reg_map[insn->src_reg];
	unsigned base = reg_map[insn->dst_reg];
	int32_t disp = insn->off;
	bool loop_form = insn->imm == (BPF_OR | BPF_FETCH) || insn->imm == (BPF_AND | BPF_FETCH) ||
			 insn->imm == (BPF_XOR | BPF_FETCH);

	if (c->checked) {
		struct stub *s;

		/* As the interpreter: refuse split locks before the bounds test. */
		x86_lea(b, R_ADDR, base, disp);
		x86_test_ri(b, false, R_ADDR, (int32_t)size - 1);
		s = new_stub(c, STUB_FAULT, i);
		s->status = JIT_STATUS_FAULT_MISALIGNED;
		s->info = size | 1u << 8;
		s->fault_addr_in_r11 = true;
		jump_to_stub(c, s, X86_CC_NE);
		emit_bounds_check(c, i, R_ADDR, size, true, insn->dst_reg == ISA_REG_FP);
		base = R_ADDR;
		disp = 0;
	} else if (loop_form) {
		/* the loop needs rax, which may be the base register */
		x86_lea(b, R_ADDR, base, disp);
		base = R_ADDR;
		disp = 0;
	}

	switch (insn->imm) {
	case BPF_ADD: case BPF_OR: case BPF_AND: case BPF_XOR:
		x86_alu_mr(b, true, w, alu_op((uint8_t)insn->imm), base, disp, src);
		break;
	case BPF_ADD | BPF_FETCH:
		x86_lock_xadd(b, w, base, disp, src);
		break;
	case BPF_XCHG:
		x86_xchg_m(b, w, base, disp, src);
		break;
	case BPF_CMPXCHG:
		x86_lock_cmpxchg(b, w, base, disp, src);
		if (!w)
			x86_mov_rr(b, false, X86_RAX, X86_RAX);  /* eax is not written when equal */
		break;
	default: {
		/* fetch-or/and/xor: a cmpxchg loop on rax, which holds r0. */
		unsigned operand = src == X86_RAX ? R_TMP1 : src;
		size_t loop;

		budget_spill(c);
		x86_mov_rr(b, true, R_TMP1, X86_RAX);
		x86_load(b, size, false, X86_RAX, base, disp);
		loop = b->len;
		x86_mov_rr(b, w, R_TMP0, X86_RAX);
		x86_alu_rr(b, w, alu_op((uint8_t)(insn->imm & ~BPF_FETCH)), R_TMP0, operand);
		x86_lock_cmpxchg(b, w, base, disp, R_TMP0);
		x86_patch8_to(b, x86_jcc8(b, X86_CC_NE), loop);
		if (src != X86_RAX) {
			x86_mov_rr(b, w, src, X86_RAX);
			x86_mov_rr(b, true, X86_RAX, R_TMP1);
		}
		budget_reload(c);
		break;
	}
	}
}

/* ld_abs / ld_ind: r0 = big-endian load from the packet at a signed 32-bit
 * offset; out of range ends the program with r0 = 0. r1..r5 become 0, as
 * in the interpreter. */
static void emit_ld_pkt(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	struct x86_buf *b = &c->b;
	unsigned size = isa_size_bytes(insn->code);
	struct stub *s = new_stub(c, STUB_END, i);

	s->status = JIT_STATUS_PKT_OUT;
	s->zero_r0 = true;
	s->charge = c->checked ? charge_at(c, i) : 0;

	if (isa_mode(insn->code) == BPF_ABS) {
		if (insn->imm < 0) {
			jump_to_stub(c, s, -1);
			return;
		}
		load_imm32_sext(c, R_ADDR, insn->imm);
	} else {
		x86_mov_rr(b, false, R_ADDR, reg_map[insn->src_reg]);
		if (c->blind) {
			load_imm32_sext(c, R_TMP1, insn->imm);
			x86_alu_rr(b, false, X86_ADD, R_ADDR, R_TMP1);
		} else {
			x86_alu_ri(b, false, X86_ADD, R_ADDR, insn->imm);
		}
		x86_extend_rr(b, true, true, 32, R_ADDR, R_ADDR);
		x86_test_rr(b, true, R_ADDR, R_ADDR);
		jump_to_stub(c, s, X86_CC_S);
	}
	x86_lea(b, R_TMP1, R_ADDR, (int32_t)size);
	x86_alu_rm(b, true, X86_CMP, R_TMP1, R_STATE, ST(pkt_len));
	jump_to_stub(c, s, X86_CC_A);
	x86_load(b, 8, false, R_TMP1, R_STATE, ST(pkt_data));
	x86_alu_rr(b, true, X86_ADD, R_TMP1, R_ADDR);
	x86_load(b, size, false, X86_RAX, R_TMP1, 0);
	if (size == 2)
		x86_rol16_8(b, X86_RAX);
	else if (size == 4)
		x86_bswap(b, false, X86_RAX);
	for (unsigned r = 1; r <= 5; r++)
		x86_op_rr(b, false, X86_OP(0x31), reg_map[r], reg_map[r]);
}

/* --------------------------------------------------------------- jumps */

static enum x86_cc jmp_cc(uint8_t op)
{
	switch (op) {
	case BPF_JEQ: return X86_CC_E;
	case BPF_JNE: return X86_CC_NE;
	case BPF_JGT: return X86_CC_A;
	case BPF_JGE: return X86_CC_AE;
	case BPF_JLT: return X86_CC_B;
	case BPF_JLE: return X86_CC_BE;
	case BPF_JSGT: return X86_CC_G;
	case BPF_JSGE: return X86_CC_GE;
	case BPF_JSLT: return X86_CC_L;
	case BPF_JSLE: return X86_CC_LE;
	default: return X86_CC_NE; /* JSET after test */
	}
}

/* A copy loop's back edge goes straight to the plain loop, not to the
 * guard at its head: the guard failed on entry and would fail again. */
static bool emit_idiom_back_edge(struct jit_ctx *c, size_t i, size_t target, int cc)
{
	const struct jit_copy_loop *l;
	size_t at;

	if (!c->idioms.loop_at || target >= c->cnt || c->idioms.loop_at[target] < 0)
		return false;
	l = &c->idioms.loops[c->idioms.loop_at[target]];
	if (l->back_insn != i)
		return false;
	at = cc < 0 ? x86_jmp32(&c->b) : x86_jcc32(&c->b, (enum x86_cc)cc);
	if (!c->b.oom)
		x86_patch32(c->b.p, at, l->plain_off);
	return true;
}

/* Control moves to instruction `target`: directly, or in checked mode
 * through a stub that charges the budget first. */
static void emit_branch(struct jit_ctx *c, size_t i, size_t target, int cc)
{
	if (c->checked && cc >= 0 && target <= i) {
		/* A loop's back edge is usually taken: charge inline behind the
		 * inverted condition, so the taken path jumps once, not twice. */
		size_t j_skip = x86_jcc8(&c->b, (enum x86_cc)(cc ^ 1));

		emit_charge(c, i, charge_at(c, i), true);
		add_jump_fixup(c, x86_jmp32(&c->b), target);
		x86_patch8_here(&c->b, j_skip);
		return;
	}
	if (c->checked) {
		struct stub *s = new_stub(c, STUB_TAKEN, i);

		s->charge = charge_at(c, i);
		s->target = (uint32_t)target;
		jump_to_stub(c, s, cc);
		return;
	}
	if (emit_idiom_back_edge(c, i, target, cc))
		return;
	add_jump_fixup(c, cc < 0 ? x86_jmp32(&c->b) : x86_jcc32(&c->b, (enum x86_cc)cc), target);
}

static void emit_ja(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	if (c->checked)
		emit_charge(c, i, charge_at(c, i), true);
	if (emit_idiom_back_edge(c, i, (size_t)isa_branch_target(insn, i), -1))
		return;
	add_jump_fixup(c, x86_jmp32(&c->b), (size_t)isa_branch_target(insn, i));
}

static void emit_cond_jump(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	struct x86_buf *b = &c->b;
	bool w = isa_class(insn->code) == BPF_JMP;
	uint8_t op = isa_op(insn->code);
	unsigned dst = reg_map[insn->dst_reg];
	unsigned src = reg_map[insn->src_reg];

	if (isa_src(insn->code) == BPF_X) {
		if (op == BPF_JSET)
			x86_test_rr(b, w, dst, src);
		else
			x86_alu_rr(b, w, X86_CMP, dst, src);
	} else if (c->blind) {
		load_imm32_sext(c, R_TMP1, insn->imm);
		if (op == BPF_JSET)
			x86_test_rr(b, w, dst, R_TMP1);
		else
			x86_alu_rr(b, w, X86_CMP, dst, R_TMP1);
	} else if (op == BPF_JSET) {
		x86_test_ri(b, w, dst, insn->imm);
	} else if (insn->imm == 0) {
		x86_test_rr(b, w, dst, dst);   /* the flags of cmp dst, 0, shorter */
	} else {
		x86_alu_ri(b, w, X86_CMP, dst, insn->imm);
	}
	emit_branch(c, i, (size_t)isa_branch_target(insn, i), jmp_cc(op));
}

/* --------------------------------------------------------------- calls */

static const unsigned arg_regs[5] = { X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8 };

/* Calls a helper (at `fn`, or at the address in R_ADDR when `fn` is 0)
 * with r1..r5 and the run context, then ends the program if the helper
 * asked for it. In checked mode r1..r5 keep their values across the call,
 * as in the interpreter, so unverified programs that read them after a
 * call behave the same in both engines.
 *
 * The helper may call back into the program (run_ctx_call), so the code
 * publishes what the interpreter publishes (src/interp/loop.h): r10 of the
 * calling frame in rc->cur_fp and, checked, the budget charged up to and
 * including this call in rc->budget_left (0 when overdrawn: the overdraft
 * is reported at the next transfer, as without the call); after the call
 * the budget the callbacks left is taken back unless it was overdrawn. A
 * helper call therefore ends a budget segment (see ends_segment). */
static void emit_helper_call(struct jit_ctx *c, size_t i, uint64_t fn)
{
	struct x86_buf *b = &c->b;
	struct stub *s;
	size_t j_skip, j_keep;

	if (c->checked) {
		for (unsigned r = 0; r < 5; r++)
			x86_push(b, arg_regs[r]);
		x86_alu_ri(b, true, X86_SUB, X86_RSP, 8);  /* keep rsp 16-byte aligned */
		x86_alu_ri(b, true, X86_SUB, R_BUDGET, (int32_t)charge_at(c, i));
		budget_spill(c);
		/* rc->budget_left = max(budget, 0) */
		x86_mov_rr(b, true, R_TMP1, R_BUDGET);
		x86_test_rr(b, true, R_TMP1, R_TMP1);
		j_keep = x86_jcc8(b, X86_CC_NS);
		x86_op_rr(b, false, X86_OP(0x31), R_TMP1, R_TMP1);
		x86_patch8_here(b, j_keep);
	}
	x86_load(b, 8, false, X86_R9, R_STATE, ST(rc));   /* the 6th argument */
	x86_store(b, 8, X86_R9, RC(cur_fp), X86_RBP);
	if (c->checked)
		x86_store(b, 8, X86_R9, RC(budget_left), R_TMP1);
	if (fn) {
		x86_movabs(b, R_TMP1, fn);
		x86_call_r(b, R_TMP1);
	} else {
		x86_call_r(b, R_ADDR);
	}
	if (c->checked) {
		x86_alu_ri(b, true, X86_ADD, X86_RSP, 8);
		for (unsigned r = 5; r-- > 0;)
			x86_pop(b, arg_regs[r]);
	}
	x86_load(b, 8, false, R_ADDR, R_STATE, ST(rc));
	if (c->checked) {
		/* budget = budget < 0 ? budget : min(rc->budget_left, INT64_MAX) */
		budget_reload(c);
		x86_test_rr(b, true, R_BUDGET, R_BUDGET);
		j_skip = x86_jcc8(b, X86_CC_S);
		x86_load(b, 8, false, R_BUDGET, R_ADDR, RC(budget_left));
		x86_test_rr(b, true, R_BUDGET, R_BUDGET);
		j_keep = x86_jcc8(b, X86_CC_NS);
		x86_mov_imm64(b, R_BUDGET, (uint64_t)INT64_MAX);
		x86_patch8_here(b, j_keep);
		x86_patch8_here(b, j_skip);
	}
	x86_cmp_m8i(b, R_ADDR, RC(exit_requested), 0);
	s = new_stub(c, STUB_END, i);
	s->status = JIT_STATUS_EXIT_REQUESTED;
	s->check_budget = c->checked;   /* charged already: only the sign is tested */
	jump_to_stub(c, s, X86_CC_NE);
}

/* A local call to the code at rel32 `target_insn`, or (target_insn < 0) at
 * the address in `target_reg`: new frame, r6..r10 saved, r10 one frame down. */
static void emit_local_call(struct jit_ctx *c, size_t i, int64_t target_insn, unsigned target_reg)
{
	static const unsigned saved[5] = { X86_RBX, X86_R13, X86_R14, X86_R15, X86_RBP };
	struct x86_buf *b = &c->b;
	struct stub *s;

	/* Checked in both modes, as in the interpreter. */
	x86_alu_mi(b, false, X86_CMP, R_STATE, ST(depth), UEBPF_MAX_CALL_DEPTH - 1);
	s = new_stub(c, STUB_FAULT, i);
	s->status = JIT_STATUS_FAULT_DEPTH;
	jump_to_stub(c, s, X86_CC_AE);
	if (c->checked)
		emit_charge(c, i, charge_at(c, i), true);
	x86_alu_mi(b, false, X86_ADD, R_STATE, ST(depth), 1);
	for (unsigned r = 0; r < 5; r++)
		x86_push(b, saved[r]);
	x86_lea(b, X86_RBP, X86_RBP, -UEBPF_STACK_SIZE);
	if (target_insn >= 0)
		add_jump_fixup(c, x86_call32(b), (size_t)target_insn);
	else
		x86_call_r(b, target_reg);
	for (unsigned r = 5; r-- > 0;)
		x86_pop(b, saved[r]);
	x86_alu_mi(b, false, X86_SUB, R_STATE, ST(depth), 1);
}

/* A map lookup/update/delete helper on a map fixed at compile time, in
 * unchecked code, becomes a call of the map op the helper would reach
 * (jit_mapcall.h): r1 = map, r2 = key, r3 = value and r4 = flags are
 * already where the op wants them; the CPU slot is 0 and there is no error
 * message. Map ops never get the run context, so they can neither call
 * back into the program nor request an exit: nothing to publish before
 * and nothing to test after. The ops return int where the helper returns
 * it sign-extended. */
static bool emit_map_call_direct(struct jit_ctx *c, size_t i)
{
	struct x86_buf *b = &c->b;
	enum map_prog_op op;
	void *fn;

	if (c->checked)
		return false;
	fn = jit_mapcall_direct_fn(c->prog, c->insns, i, c->is_target, &op);
	if (!fn)
		return false;
	if (op == MAP_PROG_UPDATE) {
		x86_op_rr(b, false, X86_OP(0x31), X86_R8, X86_R8);   /* cpu */
		x86_op_rr(b, false, X86_OP(0x31), X86_R9, X86_R9);   /* err */
	} else {
		x86_op_rr(b, false, X86_OP(0x31), X86_RDX, X86_RDX); /* lookup: cpu, delete: err */
	}
	x86_movabs(b, R_TMP1, (uint64_t)(uintptr_t)fn);
	x86_call_r(b, R_TMP1);
	if (op != MAP_PROG_LOOKUP)
		x86_extend_rr(b, true, true, 32, X86_RAX, X86_RAX);
	return true;
}

static void emit_call_helper(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	const struct uebpf_helper_proto *proto =
		uebpf_helper_set_find(c->prog->helpers, (uint32_t)insn->imm);

	if (!proto || !proto->fn) {
		fail(c, i, "unknown helper id: it is not in the program's helper set");
		return;
	}
	if (emit_map_call_direct(c, i))
		return;
	emit_helper_call(c, i, (uint64_t)(uintptr_t)proto->fn);
}

/* callx: the register holds a helper id or the code address of a
 * sub-program (lddw src=4); anything else stops the program. */
static void emit_callx(struct jit_ctx *c, size_t i, const struct bpf_insn *insn)
{
	struct x86_buf *b = &c->b;
	unsigned value = reg_map[insn->dst_reg];
	size_t j_local, j_done;
	struct stub *s;

	/* jit_callx_resolve(state, value) -> rax = address, rdx = is_local;
	 * six pushes keep rsp aligned and preserve r0..r5. */
	budget_spill(c);
	x86_push(b, X86_RAX);
	for (unsigned r = 0; r < 5; r++)
		x86_push(b, arg_regs[r]);
	x86_mov_rr(b, true, X86_RSI, value);
	x86_mov_rr(b, true, X86_RDI, R_STATE);
	x86_movabs(b, X86_RAX, (uint64_t)(uintptr_t)jit_callx_resolve);
	x86_call_r(b, X86_RAX);
	x86_mov_rr(b, true, R_ADDR, X86_RAX);
	x86_mov_rr(b, true, R_TMP1, X86_RDX);
	for (unsigned r = 5; r-- > 0;)
		x86_pop(b, arg_regs[r]);
	x86_pop(b, X86_RAX);
	budget_reload(c);
	x86_test_rr(b, true, R_ADDR, R_ADDR);
	s = new_stub(c, STUB_FAULT, i);
	s->status = JIT_STATUS_FAULT_CALLX;
	jump_to_stub(c, s, X86_CC_E);
	x86_test_rr(b, true, R_TMP1, R_TMP1);
	j_local = x86_jcc32(b, X86_CC_NE);

	emit_helper_call(c, i, 0);   /* charges this segment, as a helper call ends one */
	j_done = x86_jmp32(b);

	x86_patch32(b->p, j_local, b->len);
	if (!b->oom)
		emit_local_call(c, i, -1, R_ADDR);
	if (!b->oom)
		x86_patch32(b->p, j_done, b->len);
}

static void emit_exit(struct jit_ctx *c, size_t i)
{
	if (c->checked)
		emit_charge(c, i, charge_at(c, i), true);
	x86_ret(&c->b);
}

/* ---------------------------------------------------------- instructions */

/* `mov dst, src; add dst, x` (64-bit) is one `lea dst, [src + x]` when
 * nothing jumps between the two (clang emits the pair for every address
 * computation). The add's own code is then empty. */
static bool fuse_mov_add(const struct jit_ctx *c, size_t i)
{
	const struct bpf_insn *mov = &c->insns[i], *add = &c->insns[i + 1];

	if (i + 1 >= c->cnt || c->is_target[i + 1] ||
	    mov->code != (BPF_ALU64 | BPF_X | BPF_MOV) || mov->off != 0 ||
	    add->dst_reg != mov->dst_reg)
		return false;
	if (add->code == (BPF_ALU64 | BPF_K | BPF_ADD))
		return !c->blind;
	return add->code == (BPF_ALU64 | BPF_X | BPF_ADD);
}

/* The special code of an idiom that starts at instruction i (a copy loop's
 * head, a switch tree's root), before the instruction's own code, which is
 * where the special code falls back to. */
static void emit_idiom_prefix(struct jit_ctx *c, size_t i)
{
	int32_t k;

	if (!c->idioms.loop_at)
		return;
	k = c->idioms.loop_at[i];
	if (k >= 0) {
		struct jit_copy_loop *l = &c->idioms.loops[k];

		add_jump_fixup(c, jit_idiom_emit_copy(&c->b, l, reg_map), l->exit_insn);
		l->plain_off = (uint32_t)c->b.len;
	}
	k = c->idioms.tree_at[i];
	if (k >= 0) {
		const struct jit_switch_tree *t = &c->idioms.trees[k];
		size_t table = jit_idiom_emit_switch(&c->b, t, reg_map);

		for (uint32_t v = 0; v < t->range; v++)
			add_jump_fixup(c, table + 4 * (size_t)v, t->leaf[v]);
		if (!grow((void **)&c->tables, &c->cap_tables, c->nr_tables + 1, sizeof(*c->tables)))
			c->oom = true;
		else
			c->tables[c->nr_tables++] = (struct jit_jump_table){ .off = (uint32_t)table,
									     .entries = t->range };
	}
}

static void emit_mov_add(struct jit_ctx *c, size_t i)
{
	const struct bpf_insn *mov = &c->insns[i], *add = &c->insns[i + 1];
	unsigned dst = reg_map[mov->dst_reg], src = reg_map[mov->src_reg];

	emit_idiom_prefix(c, i);

	if (isa_src(add->code) == BPF_K)
		x86_lea(&c->b, dst, src, add->imm);
	else   /* add dst, dst doubles the moved value */
		x86_lea_rr(&c->b, dst, src,
			   reg_map[add->src_reg == mov->dst_reg ? mov->src_reg : add->src_reg]);
}

static void emit_insn(struct jit_ctx *c, size_t i)
{
	const struct bpf_insn *insn = &c->insns[i];
	uint8_t code = insn->code;

	emit_idiom_prefix(c, i);
	switch (isa_class(code)) {
	case BPF_ALU:
	case BPF_ALU64:
		emit_alu(c, insn);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (isa_is_ja(code))
			emit_ja(c, i, insn);
		else if (isa_is_exit(code))
			emit_exit(c, i);
		else if (isa_is_callx(insn))
			emit_callx(c, i, insn);
		else if (isa_is_local_call(insn))
			emit_local_call(c, i, isa_branch_target(insn, i), 0);
		else if (isa_is_helper_call(insn))
			emit_call_helper(c, i, insn);
		else
			emit_cond_jump(c, i, insn);
		break;
	case BPF_LD:
		if (isa_is_lddw(insn)) {
			uint64_t value;

			if (insn->src_reg == 0)
				value = (uint64_t)isa_lddw_imm(insn);
			else if (insn->src_reg == BPF_PSEUDO_FUNC)
				value = prog_code_addr((size_t)((int64_t)i + 1 + insn->imm));
			else if (prog_is_map_ref(insn) && c->prog->maps &&
				 insn->imm >= 0 && (size_t)insn->imm < c->prog->nr_maps)
				/* checked by uebpf_prog_load (prog_map_refs_check) */
				value = prog_map_ref_value(c->insns, i, c->prog->maps);
			else {
				fail(c, i, "map references must be resolved by the object loader first");
				return;
			}
			load_imm64(c, reg_map[insn->dst_reg], value);
		} else {
			emit_ld_pkt(c, i, insn);
		}
		break;
	case BPF_LDX:
		emit_ldx(c, i, insn);
		break;
	case BPF_ST:
		emit_st(c, i, insn);
		break;
	default:
		if (isa_mode(code) == BPF_ATOMIC)
			emit_atomic(c, i, insn);
		else
			emit_stx(c, i, insn);
		break;
	}
}

/* Can control fall from instruction `i` into the next one? */
static bool falls_through(const struct bpf_insn *insn)
{
	return !isa_is_ja(insn->code) && !isa_is_exit(insn->code);
}

/* Does a new budget segment begin right after instruction `i`? After a
 * helper call it does because the call publishes the budget charged so far
 * (emit_helper_call), as the interpreter's does. */
static bool ends_segment(const struct bpf_insn *insn)
{
	return isa_is_local_call(insn) || isa_is_callx(insn) || isa_is_helper_call(insn) ||
	       !falls_through(insn);
}

/* Marks sub-program entries and, for checked code, the budget segments. */
static int analyse(struct jit_ctx *c)
{
	const struct bpf_insn *insns = c->insns;
	size_t n = c->cnt, i;
	uint8_t *leader = NULL;
	uint32_t count = 0;

	c->is_func_entry = calloc(n, 1);
	c->is_target = calloc(n + 1, 1);
	c->is_loop_head = calloc(n + 1, 1);
	if (!c->is_func_entry || !c->is_target || !c->is_loop_head)
		return -ENOMEM;
	if (c->checked) {
		leader = calloc(n + 1, 1);
		c->seg_start = calloc(n + 1, sizeof(*c->seg_start));
		c->count = calloc(n + 1, sizeof(*c->count));
		if (!leader || !c->seg_start || !c->count) {
			free(leader);
			return -ENOMEM;
		}
		leader[0] = 1;
	}
	for (i = 0; i < n; i++) {
		const struct bpf_insn *insn = &insns[i];
		bool lddw = isa_is_lddw(insn);

		if (isa_is_local_call(insn) ||
		    (lddw && insn->src_reg == BPF_PSEUDO_FUNC)) {
			int64_t t = (int64_t)i + 1 + insn->imm;

			if (t < 0 || t >= (int64_t)n || (t > 0 && isa_is_lddw(&insns[t - 1]))) {
				fail(c, i, "code address outside the program or inside a lddw");
				free(leader);
				return c->error;
			}
			c->is_func_entry[t] = 1;
			c->is_target[t] = 1;
			if (leader)
				leader[t] = 1;
		}
		if (isa_is_jmp(insn->code) && !isa_is_exit(insn->code) &&
		    isa_op(insn->code) != BPF_CALL) {
			c->is_target[isa_branch_target(insn, i)] = 1;
			if ((size_t)isa_branch_target(insn, i) <= i)
				c->is_loop_head[isa_branch_target(insn, i)] = 1;
			if (leader)
				leader[isa_branch_target(insn, i)] = 1;
		}
		if (leader && ends_segment(insn))
			leader[i + 1] = 1;
		if (lddw)
			i++;
	}
	if (!c->checked && !c->blind && jit_idiom_find(insns, n, c->is_target, &c->idioms))
		return -ENOMEM;
	if (!leader)
		return 0;
	for (i = 0; i < n; i++) {
		c->count[i] = count;
		c->seg_start[i] = leader[i] ? (uint32_t)i : c->seg_start[i - 1];
		if (isa_is_lddw(&insns[i])) {
			c->count[i + 1] = count + 1;
			c->seg_start[i + 1] = c->seg_start[i];
			i++;
		}
		count++;
	}
	c->count[n] = count;
	free(leader);   /* from here on, i starts a segment iff seg_start[i] == i */
	return 0;
}

/* ---------------------------------------------------------- fixed parts */

static const unsigned host_saved[6] = { X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15 };

/* Saves the host's callee-saved registers and the host stack pointer, and
 * points r12 at the state (the first argument). */
static void emit_prologue(struct jit_ctx *c)
{
	struct x86_buf *b = &c->b;

	for (unsigned r = 0; r < 6; r++)
		x86_push(b, host_saved[r]);
	/* rsp is now 8 mod 16; the `call` into the body makes it 0 mod 16
	 * there, where helpers are called directly. */
	x86_mov_rr(b, true, R_STATE, X86_RDI);
	x86_store(b, 8, R_STATE, ST(saved_rsp), X86_RSP);
}

static void emit_zero_regs(struct jit_ctx *c, const unsigned *regs, size_t n)
{
	for (size_t k = 0; k < n; k++)
		x86_op_rr(&c->b, false, X86_OP(0x31), regs[k], regs[k]);
}

/* The callback entry (jit_call): r1..r5 = state.args, r10 = state.fp, the
 * other registers 0, as in the interpreter; calls the sub-program at
 * state.target and leaves through the common exit. Returns the rel32 of
 * its jump to that exit. */
static size_t emit_callback_entry(struct jit_ctx *c)
{
	static const unsigned zeroed[] = { X86_RAX, X86_RBX, X86_R13, X86_R14, X86_R15 };
	struct x86_buf *b = &c->b;

	c->callback_off = (uint32_t)b->len;
	emit_prologue(c);
	for (unsigned r = 0; r < 5; r++)
		x86_load(b, 8, false, arg_regs[r], R_STATE, ST(args) + 8 * (int32_t)r);
	x86_load(b, 8, false, X86_RBP, R_STATE, ST(fp));
	emit_zero_regs(c, zeroed, sizeof(zeroed) / sizeof(zeroed[0]));
	budget_reload(c);
	x86_load(b, 8, false, R_ADDR, R_STATE, ST(target));
	x86_call_r(b, R_ADDR);
	return x86_jmp32(b);
}

/* Decides whether the image gets a lean entry: unchecked code without any
 * instruction whose translation reads the state (helper calls other than
 * direct map calls, local calls and callx, legacy packet loads). Verified code reads no register before
 * writing it, so the lean entry sets only r1, r2 and r10; of the
 * callee-saved host registers it saves those the body writes. */
static void lean_analysis(struct jit_ctx *c)
{
	static const unsigned callee_saved_of[ISA_NR_REGS] = {
		[6] = X86_RBX, [7] = X86_R13, [8] = X86_R14, [9] = X86_R15, [10] = X86_RBP,
	};
	bool used[ISA_NR_REGS] = { false };

	c->lean_ok = false;
	c->lean_calls_c = false;
	c->nr_lean_saved = 0;
	if (c->checked)
		return;
	for (size_t i = 0; i < c->cnt; i++) {
		const struct bpf_insn *insn = &c->insns[i];
		uint8_t cls = isa_class(insn->code);

		if (isa_is_helper_call(insn)) {
			enum map_prog_op op;

			/* a direct map call needs no state, only an aligned stack */
			if (!jit_mapcall_direct_fn(c->prog, c->insns, i, c->is_target, &op))
				return;
			c->lean_calls_c = true;
		}
		if (isa_is_local_call(insn) || isa_is_callx(insn) ||
		    (cls == BPF_LD && !isa_is_lddw(insn)))
			return;
		if (insn->dst_reg < ISA_NR_REGS)
			used[insn->dst_reg] = true;
		if (insn->src_reg < ISA_NR_REGS && !isa_is_lddw(insn))
			used[insn->src_reg] = true;
		if (isa_is_lddw(insn))
			i++;
	}
	/* r10 is read-only for eBPF, but the entry must set rbp for it */
	for (unsigned r = 6; r <= 10; r++)
		if (used[r])
			c->lean_saved[c->nr_lean_saved++] = (uint8_t)callee_saved_of[r];
	c->lean_uses_fp = used[ISA_REG_FP];
	c->lean_ok = true;
}

/* The lean entry: r1 (rdi) and r2 (rsi) arrive where the body wants them,
 * r10 in rdx. With nothing to save the body itself is the entry (its `exit`
 * returns to the host); else the entry saves, calls, restores. Returns its
 * offset. */
static uint32_t emit_lean_entry(struct jit_ctx *c)
{
	struct x86_buf *b = &c->b;
	uint32_t off = (uint32_t)b->len;
	/* At the entry rsp is 8 mod 16 (the return address); each push and
	 * the `call` below move it by 8, so the body runs 16-aligned, as C
	 * functions it calls expect, when the pushes are even in number. */
	bool pad = c->lean_calls_c && c->nr_lean_saved % 2;

	if (!c->nr_lean_saved && !c->lean_calls_c)
		return c->insn_off[0];
	for (unsigned k = 0; k < c->nr_lean_saved; k++)
		x86_push(b, c->lean_saved[k]);
	if (pad)
		x86_alu_ri(b, true, X86_SUB, X86_RSP, 8);
	if (c->lean_uses_fp)
		x86_mov_rr(b, true, X86_RBP, X86_RDX);
	if (!b->oom)
		x86_patch32(b->p, x86_call32(b), c->insn_off[0]);
	if (pad)
		x86_alu_ri(b, true, X86_ADD, X86_RSP, 8);
	for (unsigned k = c->nr_lean_saved; k-- > 0;)
		x86_pop(b, c->lean_saved[k]);
	x86_ret(b);
	return off;
}

/* Entry, unwind, the callback entry and the shared slow path; returns the
 * rel32 of the call to instruction 0. */
static size_t emit_entry(struct jit_ctx *c)
{
	static const unsigned zeroed[] = { X86_RAX, X86_RDX, X86_RCX, X86_R8, X86_RBX,
					   X86_R13, X86_R14, X86_R15 };
	struct x86_buf *b = &c->b;
	size_t call0, j_fail, j_callback_done;
	uint32_t normal_exit;

	emit_prologue(c);
	x86_load(b, 8, false, X86_RDI, R_STATE, ST(args));
	x86_load(b, 8, false, X86_RSI, R_STATE, ST(args) + 8);
	x86_load(b, 8, false, X86_RBP, R_STATE, ST(fp));
	emit_zero_regs(c, zeroed, sizeof(zeroed) / sizeof(zeroed[0]));
	budget_reload(c);
	call0 = x86_call32(b);
	normal_exit = (uint32_t)b->len;
	x86_store(b, 8, R_STATE, ST(r0), X86_RAX);
	x86_op_rr(b, false, X86_OP(0x31), X86_RAX, X86_RAX);  /* JIT_STATUS_EXIT */

	c->unwind_off = (uint32_t)b->len;   /* every stop comes here, the budget in r9 */
	budget_spill(c);
	x86_load(b, 8, false, X86_RSP, R_STATE, ST(saved_rsp));
	for (unsigned r = 6; r-- > 0;)
		x86_pop(b, host_saved[r]);
	x86_ret(b);

	/* access_slow: r11 = address, fault_info = size | write << 8, fault_insn set.
	 * Returns when run_ctx_access_ok allows the access, else stops. */
	{
		static const unsigned kept[8] = { X86_RAX, X86_RDI, X86_RSI, X86_RDX, X86_RCX,
						  X86_R8, X86_R9, X86_R11 };

		c->access_slow_off = (uint32_t)b->len;
		for (unsigned r = 0; r < 8; r++)
			x86_push(b, kept[r]);
		x86_alu_ri(b, true, X86_SUB, X86_RSP, 8);
		x86_mov_rr(b, true, X86_RDI, R_STATE);
		x86_mov_rr(b, true, X86_RSI, R_ADDR);
		x86_load(b, 4, false, X86_RDX, R_STATE, ST(fault_info));
		x86_movabs(b, X86_RAX, (uint64_t)(uintptr_t)jit_access_slow);
		x86_call_r(b, X86_RAX);
		x86_alu_ri(b, true, X86_ADD, X86_RSP, 8);
		x86_op_rr(b, false, X86_OP(0x84), X86_RAX, X86_RAX);   /* test al, al */
		for (unsigned r = 8; r-- > 0;)
			x86_pop(b, kept[r]);
		j_fail = x86_jcc8(b, X86_CC_E);
		x86_ret(b);
		x86_patch8_here(b, j_fail);
		x86_store(b, 8, R_STATE, ST(fault_addr), R_ADDR);
		x86_mov_imm64(b, X86_RAX, (uint32_t)JIT_STATUS_FAULT_ACCESS);
		x86_patch32(b->p, x86_jmp32(b), c->unwind_off);
	}
	j_callback_done = emit_callback_entry(c);
	if (!b->oom)
		x86_patch32(b->p, j_callback_done, normal_exit);
	return call0;
}

/* Sets state.fault_insn = insn (a qword store of a sign-extended imm32). */
static void emit_set_fault_insn(struct jit_ctx *c, size_t insn)
{
	x86_store_imm(&c->b, 8, R_STATE, ST(fault_insn), (int32_t)insn);
}

static void emit_stop(struct jit_ctx *c, int32_t status)
{
	x86_mov_imm64(&c->b, X86_RAX, (uint32_t)status);
	if (!c->b.oom)
		x86_patch32(c->b.p, x86_jmp32(&c->b), c->unwind_off);
}

static void emit_stub(struct jit_ctx *c, size_t k)
{
	struct x86_buf *b = &c->b;
	struct stub s = c->stubs[k];
	size_t j_budget = 0;

	if (!b->oom)
		for (unsigned p = 0; p < s.nr_patch; p++)
			x86_patch32(b->p, s.patch[p], b->len);

	switch (s.kind) {
	case STUB_ACCESS:
		emit_set_fault_insn(c, s.insn);
		if (s.addr_reg != R_ADDR)
			x86_mov_rr(b, true, R_ADDR, s.addr_reg);   /* where access_slow wants it */
		x86_store_imm(b, 8, R_STATE, ST(fault_info), (int32_t)s.info);
		if (!b->oom)
			x86_patch32(b->p, x86_call32(b), c->access_slow_off);
		if (!b->oom)
			x86_patch32(b->p, x86_jmp32(b), s.resume);
		return;
	case STUB_FAULT:
		emit_set_fault_insn(c, s.insn);
		if (s.fault_addr_in_r11) {
			x86_store(b, 8, R_STATE, ST(fault_addr), R_ADDR);
			x86_store_imm(b, 8, R_STATE, ST(fault_info), (int32_t)s.info);
		}
		emit_stop(c, s.status);
		return;
	case STUB_TAKEN:
		x86_alu_ri(b, true, X86_SUB, R_BUDGET, (int32_t)s.charge);
		j_budget = x86_jcc8(b, X86_CC_S);
		add_jump_fixup(c, x86_jmp32(b), s.target);
		x86_patch8_here(b, j_budget);
		emit_set_fault_insn(c, s.insn);
		emit_stop(c, JIT_STATUS_FAULT_BUDGET);
		return;
	case STUB_END:
		if (s.zero_r0)
			x86_op_rr(b, false, X86_OP(0x31), X86_RAX, X86_RAX);
		if (s.charge || s.check_budget) {
			if (s.charge)
				x86_alu_ri(b, true, X86_SUB, R_BUDGET, (int32_t)s.charge);
			else
				x86_test_rr(b, true, R_BUDGET, R_BUDGET);
			j_budget = x86_jcc8(b, X86_CC_NS);
			emit_set_fault_insn(c, s.insn);
			emit_stop(c, JIT_STATUS_FAULT_BUDGET);
			x86_patch8_here(b, j_budget);
		}
		emit_stop(c, s.status);
		return;
	}
}

/* ------------------------------------------------------------ the driver */

void jit_code_release(struct jit_code *code)
{
	free(code->bytes);
	free(code->insn_off);
	free(code->is_func_entry);
	free(code->tables);
	memset(code, 0, sizeof(*code));
}

static int report(struct jit_ctx *c, struct uebpf_error *err)
{
	char text[96] = "?";

	if (c->oom || c->b.oom)
		return uebpf_err(err, -ENOMEM, "program '%s': out of memory compiling %zu instructions",
				 c->prog->name ? c->prog->name : "", c->cnt);
	if (c->error_insn < c->cnt)
		isa_format_insn(c->insns, c->cnt, c->error_insn, text, sizeof(text));
	return uebpf_err(err, c->error, "program '%s' insn %zu (%s): cannot compile: %s",
			 c->prog->name ? c->prog->name : "", c->error_insn, text, c->error_why);
}

int jit_translate(const struct uebpf_prog *prog, const struct jit_opts *opts,
		  struct jit_code *out, struct uebpf_error *err)
{
	struct jit_ctx c = {
		.prog = prog,
		.insns = prog->insns,
		.cnt = prog->insn_cnt,
		.checked = opts->checked,
		.blind = opts->blind,
		.bmi2 = !opts->baseline_isa && __builtin_cpu_supports("bmi2"),
	};
	size_t call0, i;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!c.insns || !c.cnt)
		return uebpf_err(err, -EINVAL, "program '%s' has no instructions",
				 prog->name ? prog->name : "");
	if (c.cnt > INT32_MAX / 64)
		return uebpf_err(err, -E2BIG, "program '%s' is too large to compile (%zu instructions)",
				 prog->name ? prog->name : "", c.cnt);
	if (c.blind && getrandom(&c.key, sizeof(c.key), 0) != sizeof(c.key))
		return uebpf_err(err, -errno ? -errno : -EIO,
				 "program '%s': no random key for constant blinding (getrandom failed)",
				 prog->name ? prog->name : "");

	c.insn_off = calloc(c.cnt + 1, sizeof(*c.insn_off));
	if (!c.insn_off || !x86_reserve(&c.b, c.cnt * 16 + 512)) {
		c.oom = true;
		goto out;
	}
	ret = analyse(&c);
	if (ret == -ENOMEM)
		c.oom = true;
	if (ret)
		goto out;

	lean_analysis(&c);
	call0 = emit_entry(&c);
	for (i = 0; i < c.cnt && !c.error; i++) {
		const struct bpf_insn *insn = &c.insns[i];
		size_t first = i;

		size_t counted = i;    /* the last instruction the code covers */

		/* Loop heads of unchecked code start 16-byte aligned, as
		 * compilers align them: a short body that straddles a fetch
		 * block costs the front end a cycle per iteration (strcmp:
		 * -30 %). Checked loops go through budget stubs anyway. */
		if (!c.checked && c.is_loop_head[i])
			emit_align_nops(&c.b, 16);
		c.insn_off[i] = (uint32_t)c.b.len;
		if (i + 1 < c.cnt && fuse_mov_add(&c, i)) {
			emit_mov_add(&c, i);
			counted = ++i;
			insn = &c.insns[i];
			c.insn_off[i] = (uint32_t)c.b.len;   /* empty */
		} else {
			emit_insn(&c, i);
			if (isa_is_lddw(insn))
				i++;   /* one instruction for the budget */
		}
		/* Falling into the start of a segment: charge the one that ends
		 * here (the interpreter charges it at the next transfer; only
		 * the total matters until then, and no check happens here). */
		if (c.checked && i + 1 < c.cnt && c.seg_start[i + 1] == i + 1 &&
		    !ends_segment(insn))
			emit_charge(&c, first, charge_at(&c, counted), false);
	}
	c.insn_off[c.cnt] = (uint32_t)c.b.len;
	for (i = 1; i < c.cnt; i++)   /* second lddw slots: empty ranges */
		if (isa_is_lddw(&c.insns[i - 1]))
			c.insn_off[i] = c.insn_off[i + 1];
	if (c.error)
		goto out;

	out->stubs_off = (uint32_t)c.b.len;
	for (i = 0; i < c.nr_stubs; i++)
		emit_stub(&c, i);
	/* A stub stops through the state: code that has one is not lean. */
	if (c.lean_ok && !c.nr_stubs) {
		out->lean_off = emit_lean_entry(&c);
		out->has_lean = true;
	}
	if (c.oom || c.b.oom)
		goto out;

	x86_patch32(c.b.p, call0, c.insn_off[0]);
	for (i = 0; i < c.nr_fix; i++)
		x86_patch32(c.b.p, c.fix[i].at, c.insn_off[c.fix[i].insn]);

	out->bytes = c.b.p;
	out->len = c.b.len;
	out->insn_off = c.insn_off;
	out->body_off = c.insn_off[0];
	out->callback_off = c.callback_off;
	out->is_func_entry = c.is_func_entry;
	out->tables = c.tables;
	out->nr_tables = c.nr_tables;
	c.b.p = NULL;
	c.insn_off = NULL;
	c.is_func_entry = NULL;
	c.tables = NULL;
out:
	ret = (c.oom || c.b.oom || c.error) ? report(&c, err) : 0;
	free(c.b.p);
	free(c.insn_off);
	free(c.is_func_entry);
	free(c.is_target);
	free(c.fix);
	free(c.stubs);
	free(c.seg_start);
	free(c.count);
	free(c.tables);
	jit_idiom_release(&c.idioms);
	free(c.is_loop_head);
	return ret;
}
