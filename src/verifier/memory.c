/* SPDX-License-Identifier: MIT */
/*
 * Memory accesses: every load and store stays inside its region with the
 * right size — stack (initialised before read, spilled registers tracked),
 * context (per the program type's descriptor), map values, packet (only
 * after a comparison with data_end), helper memory.
 */
#include <errno.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

#include "verifier/vstate.h"

struct vframe *vstack_frame(struct venv *env, const struct vreg *ptr)
{
	return env->cur->frames[ptr->frameno];
}

void vstack_grow(struct venv *env, struct vframe *frame, int64_t lowest_off)
{
	uint32_t need = (uint32_t)((-lowest_off + V_SLOT_SIZE - 1) / V_SLOT_SIZE);
	struct vsubprog *sp = &env->subprogs[frame->subprog];

	if ((uint64_t)-lowest_off > sp->stack_depth)
		sp->stack_depth = (uint32_t)-lowest_off;
	if (need > V_NR_SLOTS)
		need = V_NR_SLOTS;
	if (need > frame->nslots) {
		memset(&frame->stack[frame->nslots], 0,
		       (need - frame->nslots) * sizeof(struct vslot));
		frame->nslots = need;
	}
}

static inline uint32_t slot_of(int64_t off) { return (uint32_t)((-off - 1) / V_SLOT_SIZE); }
static inline uint32_t byte_of(int64_t off) { return (uint32_t)(off + V_SLOT_SIZE * (slot_of(off) + 1)); }

static uint8_t stack_byte(const struct vframe *f, int64_t off)
{
	uint32_t s = slot_of(off);

	return s < f->nslots ? f->stack[s].bytes[byte_of(off)] : SLOT_INVALID;
}

/* A spilled register loses its identity when part of its slot changes. */
static void scrub_spill(struct vframe *f, uint32_t s)
{
	for (int i = 0; i < V_SLOT_SIZE; i++)
		if (f->stack[s].bytes[i] == SLOT_SPILL)
			f->stack[s].bytes[i] = SLOT_MISC;
}

static const char *region_name(const struct vreg *r)
{
	switch (r->type) {
	case PTR_TO_STACK: return "the stack";
	case PTR_TO_MAP_VALUE: return "the map value";
	case PTR_TO_PACKET: return "the packet";
	case PTR_TO_PACKET_META: return "the packet metadata";
	case PTR_TO_MEM:
		if (r->flags & REG_MAP_KEY)
			return "the map key";
		return (r->flags & REG_RINGBUF) ? "the ring buffer reservation" : "the buffer";
	case PTR_TO_CTX: return "the context";
	default: return "memory";
	}
}

/* --------------------------------------------------------------- stack */

static int stack_bounds(struct venv *env, uint32_t regno, const struct vreg *reg, int32_t insn_off,
			uint32_t size, bool write, int64_t *lo, int64_t *hi)
{
	int64_t base = (int64_t)reg->off + insn_off;
	uint32_t mask = 1u << regno;

	if (tnum_is_const(reg->var_off)) {
		*lo = base + (int64_t)reg->var_off.value;
		*hi = *lo;
	} else {
		if (env->strict)
			return verr(env, mask, "use a constant offset from r10",
				    "variable-offset stack access is not allowed in strict (unprivileged) mode");
		*lo = base + reg->smin;
		*hi = base + reg->smax;
	}
	if (*lo < -V_STACK_SIZE || *hi + size > 0)
		return verr(env, mask, "stay within the 512-byte frame: fp-512 .. fp-1",
			    "%s %u byte%s at fp%+lld%s is outside the stack frame",
			    write ? "writing" : "reading", size, size == 1 ? "" : "s",
			    (long long)*lo, *lo != *hi ? " (variable offset)" : "");
	{
		struct tnum t = tnum_add(reg->var_off, tnum_const((uint64_t)base));

		if (tnum_max(t) & (size - 1) || (t.value & (size - 1)))
			return verr(env, mask, "align stack accesses to their size",
				    "misaligned stack access: %u bytes at fp%+lld", size,
				    (long long)*lo);
	}
	return 0;
}

static int stack_write(struct venv *env, uint32_t regno, const struct vreg *reg, int32_t insn_off,
		       uint32_t size, const struct vreg *value, bool value_is_reg)
{
	struct vframe *f = vstack_frame(env, reg);
	int64_t lo, hi, o;
	int ret = stack_bounds(env, regno, reg, insn_off, size, true, &lo, &hi);

	if (ret)
		return ret;
	vstack_grow(env, f, lo);
	if (lo != hi) {
		/* one of several places is written: none becomes initialised */
		for (o = lo; o < hi + size; o++) {
			uint32_t s = slot_of(o);

			if (f->stack[s].bytes[byte_of(o)] == SLOT_SPILL)
				scrub_spill(f, s);
			if (f->stack[s].bytes[byte_of(o)] == SLOT_ZERO &&
			    !(value->type == REG_SCALAR && tnum_equals_const(value->var_off, 0)))
				f->stack[s].bytes[byte_of(o)] = SLOT_MISC;
		}
		return 0;
	}
	if (size == V_SLOT_SIZE && (value_is_reg || vreg_is_const(value))) {
		struct vslot *sl = &f->stack[slot_of(lo)];

		sl->spilled = *value;
		memset(sl->bytes, SLOT_SPILL, V_SLOT_SIZE);
		return 0;
	}
	if (vreg_is_pointer(value) && env->strict)
		return verr(env, 1u << regno, "spill pointers with 8-byte stores",
			    "a %u-byte store of a pointer leaks part of its address", size);
	for (o = lo; o < lo + size; o++) {
		uint32_t s = slot_of(o);

		if (f->stack[s].bytes[byte_of(o)] == SLOT_SPILL) {
			if (env->strict && vreg_is_pointer(&f->stack[s].spilled))
				return verr(env, 1u << regno, NULL,
					    "partial overwrite of a spilled pointer at fp%+lld",
					    (long long)(-(int64_t)(s + 1) * V_SLOT_SIZE));
			scrub_spill(f, s);
		}
	}
	for (o = lo; o < lo + size; o++)
		f->stack[slot_of(o)].bytes[byte_of(o)] =
			value->type == REG_SCALAR && tnum_equals_const(value->var_off, 0) ?
			SLOT_ZERO : SLOT_MISC;
	return 0;
}

static int stack_read(struct venv *env, uint32_t regno, const struct vreg *reg, int32_t insn_off,
		      uint32_t size, struct vreg *out, bool sext)
{
	struct vframe *f = vstack_frame(env, reg);
	int64_t lo, hi, o;
	bool all_zero = true;
	int ret = stack_bounds(env, regno, reg, insn_off, size, false, &lo, &hi);

	if (ret)
		return ret;
	for (o = lo; o < hi + size; o++) {
		uint8_t b = stack_byte(f, o);

		if (b == SLOT_INVALID)
			return verr(env, 1u << regno,
				    "write the stack slot first (e.g. *(u64 *)(r10 - 8) = 0)",
				    "reading %u byte%s at fp%+lld: byte fp%+lld was never written on this path",
				    size, size == 1 ? "" : "s", (long long)lo, (long long)o);
		if (b != SLOT_ZERO)
			all_zero = false;
	}
	if (lo == hi && size == V_SLOT_SIZE && stack_byte(f, lo) == SLOT_SPILL) {
		if (out)
			*out = f->stack[slot_of(lo)].spilled;
		return 0;
	}
	for (o = lo; o < hi + size; o++) {
		if (stack_byte(f, o) == SLOT_SPILL &&
		    vreg_is_pointer(&f->stack[slot_of(o)].spilled) && (lo == hi || env->strict))
			return verr(env, 1u << regno, "reload spilled pointers with 8-byte loads",
				    "reading %u of the 8 bytes of a pointer spilled at fp%+lld",
				    size, (long long)(-(int64_t)(slot_of(o) + 1) * V_SLOT_SIZE));
	}
	if (out) {
		if (all_zero)
			vreg_mark_const(out, 0);
		else
			vreg_mark_loaded(out, size, sext);
	}
	return 0;
}

/* ------------------------------------------------- sized regions (map value, mem, pkt) */

static int region_check(struct venv *env, uint32_t regno, const struct vreg *reg, int64_t off,
			uint64_t size, uint64_t limit, bool write, const char *hint_extra)
{
	uint32_t mask = 1u << regno;
	int64_t lo = off + reg->smin;
	uint64_t hi;

	if (reg->smin < 0 && !tnum_is_const(reg->var_off))
		return verr(env, mask,
			    "make the index unsigned or check 'if (i < 0)' before using it",
			    "the variable offset into %s may be negative (min %lld)",
			    region_name(reg), (long long)reg->smin);
	if (lo < 0)
		return verr(env, mask, hint_extra,
			    "%s %llu byte%s at offset %lld: before the start of %s",
			    write ? "writing" : "reading", (unsigned long long)size,
			    size == 1 ? "" : "s", (long long)lo, region_name(reg));
	if (reg->umax > (uint64_t)V_MAX_VAR_OFF)
		return verr(env, mask,
			    "bound the index first: 'i &= N - 1' or 'if (i >= N) return'",
			    "the variable offset into %s is unbounded", region_name(reg));
	hi = (uint64_t)(off + (int64_t)reg->umax) + size;
	if (hi > limit)
		return verr(env, mask, hint_extra,
			    "%s %llu byte%s at offset %lld%s of %s, which has %llu byte%s",
			    write ? "writing" : "reading", (unsigned long long)size,
			    size == 1 ? "" : "s", (long long)(off + (int64_t)reg->umax),
			    tnum_is_const(reg->var_off) ? "" : " (largest variable offset)",
			    region_name(reg), (unsigned long long)limit, limit == 1 ? "" : "s");
	return 0;
}

static int packet_check(struct venv *env, uint32_t regno, const struct vreg *reg, int32_t insn_off,
			uint64_t size, bool write)
{
	int64_t off = (int64_t)reg->off + insn_off;
	uint32_t mask = 1u << regno;
	char hint[160];

	if (!env->desc->direct_packet_access)
		return verr(env, mask, "use bpf_skb_load_bytes() or ld_abs",
			    "%s programs cannot access the packet directly", env->desc->name);
	if (write && env->prog_type == BPF_PROG_TYPE_SOCKET_FILTER)
		return verr(env, mask, NULL, "the packet is read-only for this program type");
	if (reg->smin < 0)
		return verr(env, mask, NULL, "the packet pointer's variable offset may be negative");
	if (off < 0)
		return verr(env, mask, NULL, "%s %llu byte%s at offset %lld: before the start of %s",
			    write ? "writing" : "reading", (unsigned long long)size,
			    size == 1 ? "" : "s", (long long)off, region_name(reg));
	if (off + (int64_t)size > reg->range) {
		snprintf(hint, sizeof(hint),
			 "compare %s + %lld with %s (if (%s + %lld > %s) return ...) before the access",
			 reg->type == PTR_TO_PACKET ? "data" : "data_meta",
			 (long long)(off + (int64_t)size),
			 reg->type == PTR_TO_PACKET ? "data_end" : "data",
			 reg->type == PTR_TO_PACKET ? "data" : "data_meta",
			 (long long)(off + (int64_t)size),
			 reg->type == PTR_TO_PACKET ? "data_end" : "data");
		return verr(env, mask, hint,
			    "%s %llu byte%s at %s offset %lld%s, but only %d byte%s %s checked against %s",
			    write ? "writing" : "reading", (unsigned long long)size,
			    size == 1 ? "" : "s", reg->type == PTR_TO_PACKET ? "packet" : "metadata",
			    (long long)off, tnum_is_const(reg->var_off) ? "" : " past a variable offset",
			    reg->range, reg->range == 1 ? "" : "s", reg->range == 1 ? "was" : "were",
			    reg->type == PTR_TO_PACKET ? "data_end" : "data");
	}
	return 0;
}

static int map_value_check(struct venv *env, uint32_t regno, const struct vreg *reg, int32_t insn_off,
			   uint64_t size, bool write)
{
	const struct uebpf_verify_map *map = &env->maps[reg->aux];
	char name[80];

	if (write && (map->map_flags & BPF_F_RDONLY_PROG))
		return verr(env, 1u << regno, NULL, "map %s is read-only for programs (BPF_F_RDONLY_PROG)",
			    vmap_name(env, reg->aux, name, sizeof(name)));
	if (!write && (map->map_flags & BPF_F_WRONLY_PROG))
		return verr(env, 1u << regno, NULL, "map %s is write-only for programs (BPF_F_WRONLY_PROG)",
			    vmap_name(env, reg->aux, name, sizeof(name)));
	return region_check(env, regno, reg, (int64_t)reg->off + insn_off, size, map->value_size,
			    write, NULL);
}

static int mem_check(struct venv *env, uint32_t regno, const struct vreg *reg, int32_t insn_off,
		     uint64_t size, bool write)
{
	if (write && (reg->flags & REG_RDONLY))
		return verr(env, 1u << regno, NULL, "%s is read-only", region_name(reg));
	return region_check(env, regno, reg, (int64_t)reg->off + insn_off, size, reg->aux, write,
			    NULL);
}

/* --------------------------------------------------------------- common */

static int bad_pointer(struct venv *env, uint32_t regno, const struct vreg *reg, bool write)
{
	uint32_t mask = 1u << regno;

	if (reg->flags & REG_MAYBE_NULL)
		return verr(env, mask, "check it first: if (!p) return ...",
			    "r%u may be NULL here: it must be compared with 0 before it is %s",
			    regno, write ? "written through" : "dereferenced");
	switch (reg->type) {
	case REG_SCALAR:
		return verr(env, mask, "only pointers (r10, ctx, map values, packet) can be dereferenced",
			    "r%u is a number, not a pointer: it cannot be %s", regno,
			    write ? "written through" : "dereferenced");
	case PTR_TO_PACKET_END:
		return verr(env, mask, "data_end marks one past the packet; use it only in comparisons",
			    "the packet end pointer cannot be dereferenced");
	case CONST_PTR_TO_MAP:
		return verr(env, mask, "use bpf_map_lookup_elem() to reach a map's values",
			    "a map pointer cannot be dereferenced");
	default:
		return verr(env, mask, NULL, "%s cannot be dereferenced", vreg_type_name(reg));
	}
}

static int ctx_access(struct venv *env, uint32_t regno, const struct vreg *reg, int32_t insn_off,
		      uint32_t size, bool write, struct vreg *out)
{
	enum progtype_field_kind kind;
	char why[200];

	if (reg->off || !tnum_equals_const(reg->var_off, 0))
		return verr(env, 1u << regno, "access context fields at constant offsets from r1 as given",
			    "the context pointer was moved (off %d); only the original pointer may be "
			    "dereferenced", reg->off);
	if (insn_off < 0 ||
	    !progtype_ctx_access_ok(env->desc, (uint32_t)insn_off, size, write, &kind, why, sizeof(why)))
		return verr(env, 1u << regno, NULL, "invalid context access: %s",
			    insn_off < 0 ? "negative offset" : why);
	if (!out)
		return 0;
	switch (kind) {
	case CTX_FIELD_PKT_DATA:
	case CTX_FIELD_PKT_END:
	case CTX_FIELD_PKT_META:
		vreg_mark_const(out, 0);
		out->type = kind == CTX_FIELD_PKT_DATA ? PTR_TO_PACKET :
			    kind == CTX_FIELD_PKT_END ? PTR_TO_PACKET_END : PTR_TO_PACKET_META;
		break;
	default:
		vreg_mark_loaded(out, size, false);
		break;
	}
	return 0;
}

/* Checks one load or store through register `regno`. `value` is what is
 * stored (NULL for loads); `out` receives what is loaded. */
static int mem_access(struct venv *env, uint32_t regno, int32_t insn_off, uint32_t size,
		      bool write, const struct vreg *value, bool value_is_reg, uint32_t value_regno,
		      struct vreg *out, bool sext)
{
	struct vreg *reg = &cur_regs(env)[regno];
	bool leak = write && value && vreg_is_pointer(value) && env->strict;
	int ret;

	if (reg->flags & REG_MAYBE_NULL)
		return bad_pointer(env, regno, reg, write);
	switch (reg->type) {
	case PTR_TO_STACK:
		if (write)
			return stack_write(env, regno, reg, insn_off, size, value, value_is_reg);
		return stack_read(env, regno, reg, insn_off, size, out, sext);
	case PTR_TO_CTX:
		if (leak)
			return verr(env, 1u << value_regno, NULL,
				    "storing a pointer into the context leaks an address (strict mode)");
		return ctx_access(env, regno, reg, insn_off, size, write, out);
	case PTR_TO_MAP_VALUE:
		if (leak)
			return verr(env, 1u << value_regno, "store numbers, not addresses, in maps",
				    "storing a pointer into a map value leaks an address (strict mode)");
		ret = map_value_check(env, regno, reg, insn_off, size, write);
		break;
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		if (leak)
			return verr(env, 1u << value_regno, NULL,
				    "storing a pointer into the packet leaks an address (strict mode)");
		ret = packet_check(env, regno, reg, insn_off, size, write);
		break;
	case PTR_TO_MEM:
		if (leak)
			return verr(env, 1u << value_regno, NULL,
				    "storing a pointer into memory leaks an address (strict mode)");
		ret = mem_check(env, regno, reg, insn_off, size, write);
		break;
	default:
		return bad_pointer(env, regno, reg, write);
	}
	if (!ret && out)
		vreg_mark_loaded(out, size, sext);
	return ret;
}

int vcheck_load(struct venv *env, const struct bpf_insn *insn)
{
	struct vreg *regs = cur_regs(env);
	struct vreg out;
	int ret;

	if (regs[insn->src_reg].type == REG_NOT_INIT)
		return verr(env, 1u << insn->src_reg, NULL,
			    "r%u is read before it was given a value", insn->src_reg);
	ret = mem_access(env, insn->src_reg, insn->off, isa_size_bytes(insn->code), false, NULL,
			 false, 0, &out, isa_mode(insn->code) == BPF_MEMSX);
	if (ret)
		return ret;
	regs[insn->dst_reg] = out;
	return 0;
}

int vcheck_store(struct venv *env, const struct bpf_insn *insn)
{
	struct vreg *regs = cur_regs(env);
	bool is_reg = isa_class(insn->code) == BPF_STX;
	struct vreg imm;
	const struct vreg *value;

	if (regs[insn->dst_reg].type == REG_NOT_INIT)
		return verr(env, 1u << insn->dst_reg, NULL,
			    "r%u is read before it was given a value", insn->dst_reg);
	if (is_reg) {
		if (regs[insn->src_reg].type == REG_NOT_INIT)
			return verr(env, 1u << insn->src_reg, "give it a value first",
				    "storing r%u, which was never given a value", insn->src_reg);
		value = &regs[insn->src_reg];
	} else {
		if (regs[insn->dst_reg].type == PTR_TO_CTX)
			return verr(env, 1u << insn->dst_reg, "store a register (stx) instead",
				    "stores of immediates into the context are not allowed");
		vreg_mark_const(&imm, (uint64_t)(int64_t)insn->imm);
		if (isa_size_bytes(insn->code) < 8)
			vreg_mark_const(&imm, (uint64_t)(int64_t)insn->imm &
					((1ull << (8 * isa_size_bytes(insn->code))) - 1));
		value = &imm;
	}
	return mem_access(env, insn->dst_reg, insn->off, isa_size_bytes(insn->code), true, value,
			  is_reg, insn->src_reg, NULL, false);
}

int vcheck_atomic(struct venv *env, const struct bpf_insn *insn)
{
	struct vreg *regs = cur_regs(env);
	struct vreg *dst = &regs[insn->dst_reg], *src = &regs[insn->src_reg];
	uint32_t size = isa_size_bytes(insn->code);
	struct vreg unknown;
	int ret;

	if (dst->type == REG_NOT_INIT || src->type == REG_NOT_INIT)
		return verr(env, 1u << insn->dst_reg | 1u << insn->src_reg, NULL,
			    "atomic operation on a register that was never given a value");
	if (insn->imm == BPF_CMPXCHG && regs[0].type == REG_NOT_INIT)
		return verr(env, 1, "set r0 to the expected old value", "cmpxchg reads r0, which was never given a value");
	if (vreg_is_pointer(src) && (env->strict || insn->imm == BPF_CMPXCHG || (insn->imm & BPF_FETCH)))
		return verr(env, 1u << insn->src_reg, NULL,
			    "atomic operations on pointers are not allowed");
	if (vreg_is_pointer(src))
		return verr(env, 1u << insn->src_reg, NULL,
			    "atomic operations on pointers are not allowed");
	if (dst->type != PTR_TO_STACK && dst->type != PTR_TO_MAP_VALUE && dst->type != PTR_TO_MEM)
		return verr(env, 1u << insn->dst_reg, "atomics work on the stack, map values and buffers",
			    "atomic operation on %s is not allowed", vreg_type_name(dst));
	/* As the kernel (strict alignment for atomics): a split-lock access is
	 * refused by the checked engines, slow or fatal (split-lock detection)
	 * in the unchecked ones. The bases (stack frame, map value, buffer) are
	 * taken as 8-byte aligned, so the offset decides. */
	{
		struct tnum at = tnum_add(dst->var_off,
					  tnum_const((uint64_t)((int64_t)dst->off + insn->off)));

		if ((at.value | at.mask) & (size - 1))
			return verr(env, 1u << insn->dst_reg,
				    "atomic operations need an offset that is a multiple of their size",
				    "misaligned atomic access of %u bytes at %s%+lld%s", size,
				    vreg_type_name(dst), (long long)((int64_t)dst->off + insn->off),
				    tnum_is_const(dst->var_off) ? "" : " plus a variable offset");
	}
	if (dst->type == PTR_TO_STACK) {
		struct vframe *f = vstack_frame(env, dst);
		int64_t lo, hi;

		ret = stack_bounds(env, insn->dst_reg, dst, insn->off, size, true, &lo, &hi);
		if (ret)
			return ret;
		for (int64_t o = lo; o < hi + size; o++)
			if (stack_byte(f, o) == SLOT_SPILL &&
			    vreg_is_pointer(&f->stack[slot_of(o)].spilled))
				return verr(env, 1u << insn->dst_reg, NULL,
					    "atomic operation on a spilled pointer at fp%+lld", (long long)lo);
	}
	/* read then write */
	ret = mem_access(env, insn->dst_reg, insn->off, size, false, NULL, false, 0, NULL, false);
	if (ret)
		return ret;
	vreg_mark_loaded(&unknown, size, false);
	ret = mem_access(env, insn->dst_reg, insn->off, size, true, &unknown, false, 0, NULL, false);
	if (ret)
		return ret;
	if (dst->type == PTR_TO_STACK && size == 8) {
		/* the slot now holds an unknown scalar */
		struct vframe *f = vstack_frame(env, dst);
		int64_t lo = (int64_t)dst->off + insn->off + (int64_t)dst->var_off.value;

		if (tnum_is_const(dst->var_off)) {
			memset(f->stack[slot_of(lo)].bytes, SLOT_MISC, V_SLOT_SIZE);
		}
	}
	if (insn->imm == BPF_CMPXCHG)
		vreg_mark_loaded(&regs[0], size, false);
	else if (insn->imm & BPF_FETCH)
		vreg_mark_loaded(&regs[insn->src_reg], size, false);
	return 0;
}

int vcheck_helper_mem(struct venv *env, uint32_t regno, const struct vreg *ptr,
		      uint64_t size, bool write, const char *what)
{
	uint32_t mask = 1u << regno;

	if (ptr->flags & REG_MAYBE_NULL)
		return verr(env, mask, "check it against 0 first",
			    "r%u (%s) may be NULL", regno, what);
	switch (ptr->type) {
	case PTR_TO_STACK: {
		struct vframe *f = vstack_frame(env, ptr);
		int64_t lo, hi;
		int ret;

		if (size == 0)
			return 0;
		if (size > V_STACK_SIZE)
			return verr(env, mask, NULL, "%s: %llu bytes do not fit in the stack", what,
				    (unsigned long long)size);
		ret = stack_bounds(env, regno, ptr, 0, 1, write, &lo, &hi);
		if (ret)
			return ret;
		if (hi + (int64_t)size > 0 || lo < -V_STACK_SIZE)
			return verr(env, mask, "make the buffer on the stack large enough",
				    "%s: %llu bytes at fp%+lld run past the stack frame", what,
				    (unsigned long long)size, (long long)lo);
		if (write) {
			if (lo != hi)
				return verr(env, mask, "pass a stack buffer at a constant offset",
					    "%s: helper output into the stack at a variable offset is not supported",
					    what);
			vstack_grow(env, f, lo);
			for (int64_t o = lo; o < lo + (int64_t)size; o++) {
				uint32_t s = slot_of(o);

				if (f->stack[s].bytes[byte_of(o)] == SLOT_SPILL)
					scrub_spill(f, s);
				f->stack[s].bytes[byte_of(o)] = SLOT_MISC;
			}
			return 0;
		}
		for (int64_t o = lo; o < hi + (int64_t)size; o++) {
			uint8_t b = stack_byte(f, o);

			if (b == SLOT_INVALID)
				return verr(env, mask, "initialise the whole buffer (e.g. with __builtin_memset) first",
					    "%s: %llu bytes at fp%+lld are read by the helper, but byte "
					    "fp%+lld was never written", what, (unsigned long long)size,
					    (long long)lo, (long long)o);
			if (b == SLOT_SPILL && env->strict &&
			    vreg_is_pointer(&f->stack[slot_of(o)].spilled))
				return verr(env, mask, NULL,
					    "%s: the buffer holds a spilled pointer, which would leak (strict mode)",
					    what);
		}
		return 0;
	}
	case PTR_TO_MAP_VALUE:
		return map_value_check(env, regno, ptr, 0, size, write);
	case PTR_TO_PACKET:
	case PTR_TO_PACKET_META:
		return packet_check(env, regno, ptr, 0, size, write);
	case PTR_TO_MEM:
		return mem_check(env, regno, ptr, 0, size, write);
	default:
		return verr(env, mask, "pass a pointer to the stack, a map value, the packet or a buffer",
			    "%s: r%u is %s, not a pointer to memory", what, regno, vreg_type_name(ptr));
	}
}

/* ------------------------------------------------------------- lddw, ld_abs */

int vcheck_lddw(struct venv *env, const struct bpf_insn *insn)
{
	struct vreg *dst = &cur_regs(env)[insn->dst_reg];
	uint32_t idx = (uint32_t)insn->imm;

	switch (insn->src_reg) {
	case 0:
		vreg_mark_const(dst, (uint64_t)isa_lddw_imm(insn));
		return 0;
	case BPF_PSEUDO_MAP_FD:
	case BPF_PSEUDO_MAP_IDX:
	case BPF_PSEUDO_MAP_VALUE:
	case BPF_PSEUDO_MAP_IDX_VALUE:
		if (idx >= env->nr_user_maps)
			return verr(env, 0,
				    "describe the program's maps (uebpf_verify_opts.maps, or load the ELF object)",
				    "lddw refers to map %u, but %zu map%s known", idx, env->nr_user_maps,
				    env->nr_user_maps == 1 ? " is" : "s are");
		vreg_mark_const(dst, 0);
		dst->aux = idx;
		if (insn->src_reg == BPF_PSEUDO_MAP_FD || insn->src_reg == BPF_PSEUDO_MAP_IDX) {
			dst->type = CONST_PTR_TO_MAP;
			return 0;
		}
		if (env->maps[idx].type != BPF_MAP_TYPE_ARRAY)
			return verr(env, 0, NULL, "direct value access needs an array map");
		if ((uint32_t)insn[1].imm >= env->maps[idx].value_size)
			return verr(env, 0, NULL, "direct value offset %u is outside the %u-byte value",
				    (uint32_t)insn[1].imm, env->maps[idx].value_size);
		dst->type = PTR_TO_MAP_VALUE;
		dst->off = insn[1].imm;
		return 0;
	case BPF_PSEUDO_FUNC:
		vreg_mark_const(dst, 0);
		dst->type = PTR_TO_FUNC;
		dst->aux = env->insn_subprog[(uint32_t)((int64_t)(insn - env->insns) + 1 + insn->imm)];
		return 0;
	default:
		return verr(env, 0, NULL, "lddw of kind %u (kernel BTF objects) is not supported",
			    insn->src_reg);
	}
}

int vcheck_ld_pkt(struct venv *env, const struct bpf_insn *insn)
{
	struct vreg *regs = cur_regs(env);

	if (!env->desc->legacy_packet_loads)
		return verr(env, 0, "use direct packet access or bpf_skb_load_bytes()",
			    "legacy packet loads (ld_abs/ld_ind) are not allowed in %s programs",
			    env->desc->name);
	if (env->cur->nrefs)
		return verr(env, 0, "release references before ld_abs/ld_ind",
			    "ld_abs/ld_ind may end the program while references are held");
	if (env->cur->lock_held)
		return verr(env, 0, NULL, "ld_abs/ld_ind are not allowed while holding a spin lock");
	if (env->desc->ctx_model != CTX_MODEL_RAW_MEM && regs[6].type != PTR_TO_CTX)
		return verr(env, 1u << 6, "keep the context pointer in r6 (r6 = r1 at entry)",
			    "ld_abs/ld_ind read the packet through r6, which must hold the context");
	if (isa_mode(insn->code) == BPF_IND && regs[insn->src_reg].type != REG_SCALAR)
		return verr(env, 1u << insn->src_reg, NULL,
			    "the offset register of ld_ind must hold a number");
	for (int r = 1; r <= 5; r++)
		vreg_mark_not_init(&regs[r]);
	vreg_mark_loaded(&regs[0], isa_size_bytes(insn->code), false);
	return 0;
}
