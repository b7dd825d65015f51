/* SPDX-License-Identifier: MIT */
#include "shadow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef BPF_JMP32
#define BPF_JMP32 0x06
#endif
#define SH_MEMSX 0x80
#define SH_TO_BE 0x08

#define STACK_SIZE 512
#define NR_SLOTS (STACK_SIZE / 8)
#define MAX_VALUES 16
#define XDP_CTX_SIZE 24

enum region {
	RG_NONE = 0,      /* a number */
	RG_STACK,
	RG_DATA,          /* raw buffer or packet */
	RG_CTX,
	RG_PKT_END,       /* data_end: compared, never dereferenced */
	RG_PKT_META,      /* data_meta == data: an empty region */
	RG_MAP,           /* a map reference from lddw */
	RG_VALUE0,        /* map value k is RG_VALUE0 + k */
	RG_COUNT = RG_VALUE0 + MAX_VALUES,
};

struct sv {
	uint64_t v;
	uint8_t rg;
	bool init;
};

struct region_desc {
	uint64_t lo, hi;          /* made-up addresses of [lo, hi) */
	uint8_t *mem;             /* its bytes in the shadow */
	bool writable;
	const char *name;
};

struct shadow {
	const struct bpf_insn *insns;
	size_t cnt;
	const struct shadow_input *in;
	struct shadow_result *res;
	struct sv regs[11];
	uint8_t stack[STACK_SIZE];
	bool stack_init[STACK_SIZE];
	struct sv slot_ptr[NR_SLOTS];  /* a pointer spilled whole into the slot; rg 0: none */
	uint8_t *data;
	uint8_t ctx[XDP_CTX_SIZE];
	uint8_t *values;
	struct region_desc rg[RG_COUNT];
	size_t pc;
};

static uint64_t base_of(unsigned rg)
{
	/* far apart, so no offset a program can reach crosses into another */
	return (uint64_t)(rg + 1) << 36;
}

static int stop(struct shadow *s, enum shadow_verdict v, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int stop(struct shadow *s, enum shadow_verdict v, const char *fmt, ...)
{
	va_list ap;

	s->res->verdict = v;
	s->res->insn_idx = (long)s->pc;
	va_start(ap, fmt);
	vsnprintf(s->res->why, sizeof(s->res->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int get(struct shadow *s, unsigned r, struct sv *out)
{
	*out = s->regs[r];
	if (!s->regs[r].init)
		return stop(s, SHADOW_VIOLATION, "r%u is read before it was given a value", r);
	return 0;
}

static struct sv scalar(uint64_t v)
{
	return (struct sv){ .v = v, .rg = RG_NONE, .init = true };
}

static struct sv pointer(unsigned rg, uint64_t v)
{
	return (struct sv){ .v = v, .rg = (uint8_t)rg, .init = true };
}

/* --------------------------------------------------------------- memory */

/* The shadow bytes of [ptr + off, +size), or NULL (and the run stopped)
 * when they are not all inside the region the pointer points into. */
static uint8_t *locate(struct shadow *s, unsigned reg, const struct sv *ptr, int16_t off,
		       unsigned size, bool write)
{
	const struct region_desc *d;
	uint64_t addr = ptr->v + (uint64_t)(int64_t)off;

	if (ptr->rg == RG_NONE) {
		stop(s, SHADOW_VIOLATION, "%s through r%u, which holds the number 0x%llx, not a pointer",
		     write ? "store" : "load", reg, (unsigned long long)ptr->v);
		return NULL;
	}
	d = &s->rg[ptr->rg];
	if (!d->mem || addr < d->lo || addr > d->hi || d->hi - addr < size) {
		long long rel = (long long)(addr - d->lo);

		stop(s, SHADOW_VIOLATION, "%s of %u byte%s at offset %lld of %s (r%u%+d), which has %llu "
		     "byte%s", write ? "store" : "load", size, size == 1 ? "" : "s",
		     ptr->rg == RG_STACK ? rel - STACK_SIZE : rel, d->name, reg, off,
		     (unsigned long long)(d->hi - d->lo), d->hi - d->lo == 1 ? "" : "s");
		return NULL;
	}
	if (write && !d->writable) {
		stop(s, SHADOW_VIOLATION, "store into read-only %s", d->name);
		return NULL;
	}
	return d->mem + (addr - d->lo);
}

static uint64_t get_le(const uint8_t *p, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = size; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

static void put_le(uint8_t *p, unsigned size, uint64_t v)
{
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static unsigned size_bytes(uint8_t code)
{
	switch (code & 0x18) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default: return 8;
	}
}

static uint64_t sext(uint64_t v, unsigned bits)
{
	return bits >= 64 ? v : (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static int load(struct shadow *s, const struct bpf_insn *in)
{
	unsigned size = size_bytes(in->code);
	bool sx = (in->code & 0xe0) == SH_MEMSX;
	struct sv ptr;
	uint8_t *p;
	uint64_t v;

	if (get(s, in->src_reg, &ptr))
		return -1;
	p = locate(s, in->src_reg, &ptr, in->off, size, false);
	if (!p)
		return -1;
	if (ptr.rg == RG_STACK) {
		size_t at = (size_t)(p - s->stack);

		for (unsigned i = 0; i < size; i++)
			if (!s->stack_init[at + i])
				return stop(s, SHADOW_VIOLATION, "load of %u byte%s at fp%+d: byte fp%+d "
					    "was never written", size, size == 1 ? "" : "s",
					    (int)at - STACK_SIZE, (int)(at + i) - STACK_SIZE);
		if (size == 8 && at % 8 == 0 && s->slot_ptr[at / 8].rg != RG_NONE) {
			s->regs[in->dst_reg] = s->slot_ptr[at / 8];
			return 0;
		}
	}
	v = get_le(p, size);
	if (ptr.rg == RG_CTX && size == 4 && !sx) {
		size_t at = (size_t)(p - s->ctx);

		if (at == 0) {
			s->regs[in->dst_reg] = pointer(RG_DATA, s->rg[RG_DATA].lo);
			return 0;
		}
		if (at == 4) {
			s->regs[in->dst_reg] = pointer(RG_PKT_END, s->rg[RG_DATA].hi);
			return 0;
		}
		if (at == 8) {
			s->regs[in->dst_reg] = pointer(RG_PKT_META, s->rg[RG_DATA].lo);
			return 0;
		}
	}
	s->regs[in->dst_reg] = scalar(sx ? sext(v, 8 * size) : v);
	return 0;
}

static int store(struct shadow *s, const struct bpf_insn *in)
{
	unsigned size = size_bytes(in->code);
	struct sv ptr, val;
	uint8_t *p;

	if (get(s, in->dst_reg, &ptr))
		return -1;
	if ((in->code & 0x07) == BPF_STX) {
		if (get(s, in->src_reg, &val))
			return -1;
	} else {
		val = scalar((uint64_t)(int64_t)in->imm);
	}
	p = locate(s, in->dst_reg, &ptr, in->off, size, true);
	if (!p)
		return -1;
	put_le(p, size, val.v);
	if (ptr.rg == RG_STACK) {
		size_t at = (size_t)(p - s->stack);

		for (unsigned i = 0; i < size; i++) {
			s->stack_init[at + i] = true;
			s->slot_ptr[(at + i) / 8].rg = RG_NONE;
		}
		if (size == 8 && at % 8 == 0 && val.rg != RG_NONE)
			s->slot_ptr[at / 8] = val;
	}
	return 0;
}

/* ------------------------------------------------------------------ ALU */

static uint64_t bswap(uint64_t v, unsigned width)
{
	switch (width) {
	case 16: return __builtin_bswap16((uint16_t)v);
	case 32: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

static uint64_t alu64(uint8_t op, int16_t off, uint64_t d, uint64_t x)
{
	switch (op) {
	case BPF_ADD: return d + x;
	case BPF_SUB: return d - x;
	case BPF_MUL: return d * x;
	case BPF_DIV:
		if (!x)
			return 0;
		if (off == 1)
			return x == UINT64_MAX ? 0 - d : (uint64_t)((int64_t)d / (int64_t)x);
		return d / x;
	case BPF_MOD:
		if (!x)
			return d;
		if (off == 1)
			return x == UINT64_MAX ? 0 : (uint64_t)((int64_t)d % (int64_t)x);
		return d % x;
	case BPF_OR: return d | x;
	case BPF_AND: return d & x;
	case BPF_XOR: return d ^ x;
	case BPF_LSH: return d << (x & 63);
	case BPF_RSH: return d >> (x & 63);
	case BPF_ARSH: return (uint64_t)((int64_t)d >> (x & 63));
	case BPF_NEG: return 0 - d;
	case BPF_MOV: return off ? sext(x, (unsigned)off) : x;
	}
	return 0;
}

static uint32_t alu32(uint8_t op, int16_t off, uint32_t d, uint32_t x)
{
	switch (op) {
	case BPF_DIV:
		if (!x)
			return 0;
		if (off == 1)
			return x == UINT32_MAX ? 0 - d : (uint32_t)((int32_t)d / (int32_t)x);
		return d / x;
	case BPF_MOD:
		if (!x)
			return d;
		if (off == 1)
			return x == UINT32_MAX ? 0 : (uint32_t)((int32_t)d % (int32_t)x);
		return d % x;
	case BPF_LSH: return d << (x & 31);
	case BPF_RSH: return d >> (x & 31);
	case BPF_ARSH: return (uint32_t)((int32_t)d >> (x & 31));
	case BPF_MOV: return off ? (uint32_t)sext(x, (unsigned)off) : x;
	default: return (uint32_t)alu64(op, 0, d, x);
	}
}

static int alu(struct shadow *s, const struct bpf_insn *in)
{
	bool is64 = (in->code & 0x07) == BPF_ALU64;
	uint8_t op = in->code & 0xf0;
	struct sv d = { 0 }, x;
	uint64_t r;

	if (op == BPF_END) {
		unsigned w = (unsigned)in->imm;

		if (get(s, in->dst_reg, &d))
			return -1;
		if (is64 || (in->code & 0x08) == SH_TO_BE)
			r = bswap(d.v, w);
		else
			r = w == 64 ? d.v : d.v & ((1ull << w) - 1);
		s->regs[in->dst_reg] = scalar(r);
		return 0;
	}
	if (op != BPF_MOV && get(s, in->dst_reg, &d))
		return -1;
	if (op == BPF_NEG)
		x = scalar(0);
	else if (in->code & BPF_X) {
		if (get(s, in->src_reg, &x))
			return -1;
	} else {
		x = scalar(is64 ? (uint64_t)(int64_t)in->imm : (uint32_t)in->imm);
	}
	if (!is64) {
		s->regs[in->dst_reg] = scalar(alu32(op, in->off, (uint32_t)d.v, (uint32_t)x.v));
		return 0;
	}
	r = alu64(op, in->off, d.v, x.v);
	if (op == BPF_MOV && !in->off)
		s->regs[in->dst_reg] = pointer(x.rg, r);
	else if (op == BPF_ADD && d.rg != RG_NONE && x.rg == RG_NONE)
		s->regs[in->dst_reg] = pointer(d.rg, r);
	else if (op == BPF_ADD && d.rg == RG_NONE && x.rg != RG_NONE)
		s->regs[in->dst_reg] = pointer(x.rg, r);
	else if (op == BPF_SUB && d.rg != RG_NONE && x.rg == RG_NONE)
		s->regs[in->dst_reg] = pointer(d.rg, r);
	else
		s->regs[in->dst_reg] = scalar(r);
	return 0;
}

/* ------------------------------------------------------------------ JMP */

static int cond(uint8_t op, bool is32, uint64_t a, uint64_t b)
{
	if (is32) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	int64_t sa = is32 ? (int32_t)a : (int64_t)a, sb = is32 ? (int32_t)b : (int64_t)b;

	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JNE: return a != b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	case BPF_JLT: return a < b;
	case BPF_JLE: return a <= b;
	case BPF_JSET: return (a & b) != 0;
	case BPF_JSGT: return sa > sb;
	case BPF_JSGE: return sa >= sb;
	case BPF_JSLT: return sa < sb;
	case BPF_JSLE: return sa <= sb;
	}
	return -1;
}

static int helper(struct shadow *s, int32_t id)
{
	struct sv map, key;
	const uint8_t *k;
	uint32_t idx;

	if (id != BPF_FUNC_map_lookup_elem || !s->in->map_value_size)
		return stop(s, SHADOW_UNSUPPORTED, "helper %d is not modelled", id);
	if (get(s, 1, &map) || get(s, 2, &key))
		return -1;
	if (map.rg != RG_MAP)
		return stop(s, SHADOW_VIOLATION, "bpf_map_lookup_elem: r1 is not a map reference");
	k = locate(s, 2, &key, 0, 4, false);
	if (!k)
		return -1;
	if (key.rg == RG_STACK) {
		size_t at = (size_t)(k - s->stack);

		for (unsigned i = 0; i < 4; i++)
			if (!s->stack_init[at + i])
				return stop(s, SHADOW_VIOLATION, "bpf_map_lookup_elem: key byte fp%+d was "
					    "never written", (int)(at + i) - STACK_SIZE);
	}
	idx = (uint32_t)get_le(k, 4);
	s->regs[0] = idx < s->in->map_max_entries ? pointer(RG_VALUE0 + idx, base_of(RG_VALUE0 + idx))
						   : scalar(0);
	for (unsigned r = 1; r <= 5; r++)
		s->regs[r].init = false;
	return 0;
}

static int step(struct shadow *s, bool *done)
{
	const struct bpf_insn *in = &s->insns[s->pc];
	uint8_t cls = in->code & 0x07, op = in->code & 0xf0;
	struct sv a, b;
	int taken;

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (alu(s, in))
			return -1;
		s->pc++;
		return 0;
	case BPF_LDX:
		if ((in->code & 0xe0) != BPF_MEM && (in->code & 0xe0) != SH_MEMSX)
			return stop(s, SHADOW_UNSUPPORTED, "load mode 0x%x", in->code & 0xe0);
		if (load(s, in))
			return -1;
		s->pc++;
		return 0;
	case BPF_ST:
	case BPF_STX:
		if ((in->code & 0xe0) != BPF_MEM)
			return stop(s, SHADOW_UNSUPPORTED, "store mode 0x%x (atomics are not modelled)",
				    in->code & 0xe0);
		if (store(s, in))
			return -1;
		s->pc++;
		return 0;
	case BPF_LD:
		if (in->code != (BPF_LD | BPF_IMM | BPF_DW) || s->pc + 1 >= s->cnt)
			return stop(s, SHADOW_UNSUPPORTED, "legacy packet load");
		if (in->src_reg == 0)
			s->regs[in->dst_reg] = scalar((uint64_t)(uint32_t)in->imm |
						      (uint64_t)(uint32_t)in[1].imm << 32);
		else if ((in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == 5) && in->imm == 0 &&
			 s->in->map_value_size)
			s->regs[in->dst_reg] = pointer(RG_MAP, base_of(RG_MAP));
		else
			return stop(s, SHADOW_UNSUPPORTED, "lddw of kind %u", in->src_reg);
		s->pc += 2;
		return 0;
	default:
		break;
	}
	/* JMP, JMP32 */
	if (op == BPF_EXIT) {
		if (get(s, 0, &a))
			return -1;
		s->res->r0 = a.v;
		*done = true;
		return 0;
	}
	if (op == BPF_CALL) {
		if (in->src_reg)
			return stop(s, SHADOW_UNSUPPORTED, "bpf-to-bpf calls are not modelled");
		if (helper(s, in->imm))
			return -1;
		s->pc++;
		return 0;
	}
	if (op == BPF_JA) {
		s->pc += 1 + (cls == BPF_JMP32 ? (int64_t)in->imm : (int64_t)in->off);
		return 0;
	}
	if (get(s, in->dst_reg, &a))
		return -1;
	if (in->code & BPF_X) {
		if (get(s, in->src_reg, &b))
			return -1;
	} else {
		b = scalar(cls == BPF_JMP32 ? (uint32_t)in->imm : (uint64_t)(int64_t)in->imm);
	}
	taken = cond(op, cls == BPF_JMP32, a.v, b.v);
	if (taken < 0)
		return stop(s, SHADOW_UNSUPPORTED, "jump op 0x%x", op);
	s->pc += 1 + (taken ? (int64_t)in->off : 0);
	return 0;
}

static void set_region(struct shadow *s, unsigned rg, size_t len, uint8_t *mem, bool writable,
		       const char *name)
{
	s->rg[rg] = (struct region_desc){ base_of(rg), base_of(rg) + len, mem, writable, name };
}

void shadow_run(const struct bpf_insn *insns, size_t cnt, const struct shadow_input *in,
		struct shadow_result *res)
{
	static const char *value_names[MAX_VALUES] = {
		"map value 0", "map value 1", "map value 2", "map value 3", "map value 4",
		"map value 5", "map value 6", "map value 7", "map value 8", "map value 9",
		"map value 10", "map value 11", "map value 12", "map value 13", "map value 14",
		"map value 15",
	};
	struct shadow *s = calloc(1, sizeof(*s));
	uint32_t entries = in->map_max_entries < MAX_VALUES ? in->map_max_entries : MAX_VALUES;
	bool done = false;

	memset(res, 0, sizeof(*res));
	res->insn_idx = -1;
	if (!s) {
		res->verdict = SHADOW_NOMEM;
		return;
	}
	s->insns = insns;
	s->cnt = cnt;
	s->in = in;
	s->res = res;
	s->data = malloc(in->data_len ? in->data_len : 1);
	s->values = calloc(entries ? entries : 1, in->map_value_size ? in->map_value_size : 1);
	if (!s->data || !s->values) {
		res->verdict = SHADOW_NOMEM;
		goto out;
	}
	if (in->data_len)
		memcpy(s->data, in->data, in->data_len);
	set_region(s, RG_STACK, STACK_SIZE, s->stack, true, "the stack frame");
	set_region(s, RG_DATA, in->data_len, s->data, true,
		   in->ctx == SHADOW_CTX_XDP ? "the packet" : "the buffer");
	s->rg[RG_PKT_END] = (struct region_desc){ 0, 0, NULL, false, "data_end" };
	s->rg[RG_PKT_META] = (struct region_desc){ s->rg[RG_DATA].lo, s->rg[RG_DATA].lo, s->data,
						   true, "the packet metadata (empty)" };
	s->rg[RG_MAP] = (struct region_desc){ 0, 0, NULL, false, "a map reference" };
	for (uint32_t k = 0; k < entries; k++)
		set_region(s, RG_VALUE0 + k, in->map_value_size, s->values + k * in->map_value_size,
			   true, value_names[k]);
	s->regs[10] = pointer(RG_STACK, s->rg[RG_STACK].hi);
	if (in->ctx == SHADOW_CTX_XDP) {
		put_le(s->ctx + 0, 4, s->rg[RG_DATA].lo);
		put_le(s->ctx + 4, 4, s->rg[RG_DATA].hi);
		put_le(s->ctx + 8, 4, s->rg[RG_DATA].lo);
		put_le(s->ctx + 12, 4, 1);  /* ingress_ifindex: loopback */
		set_region(s, RG_CTX, XDP_CTX_SIZE, s->ctx, false, "the context (struct xdp_md)");
		s->regs[1] = pointer(RG_CTX, s->rg[RG_CTX].lo);
	} else {
		s->regs[1] = in->data_len ? pointer(RG_DATA, s->rg[RG_DATA].lo) : scalar(0);
		s->regs[2] = scalar(in->data_len);
	}

	while (!done) {
		if (s->pc >= cnt) {
			stop(s, SHADOW_VIOLATION, "execution left the program (pc %zu of %zu)", s->pc, cnt);
			break;
		}
		if (++res->insns > in->insn_budget) {
			stop(s, SHADOW_VIOLATION, "still running after %llu instructions",
			     (unsigned long long)in->insn_budget);
			break;
		}
		if (step(s, &done))
			break;
	}
out:
	free(s->data);
	free(s->values);
	free(s);
}
