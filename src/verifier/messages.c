/* SPDX-License-Identifier: MIT */
/*
 * Refusals that explain themselves (instruction, source line, the register
 * state that makes it unsafe, why, the usual fix) and the verification log.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/vstate.h"

void vbuf_vprintf(struct vbuf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	if (b->failed)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(b->data ? b->data + b->len : NULL, b->data ? b->cap - b->len : 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	if (!b->data || b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->data = p;
		b->cap = cap;
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void vbuf_printf(struct vbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

void vbuf_free(struct vbuf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

const char *vmap_name(const struct venv *env, uint32_t map_idx, char *buf, size_t len)
{
	if (map_idx < env->nr_maps && env->maps[map_idx].name)
		snprintf(buf, len, "'%s'", env->maps[map_idx].name);
	else
		snprintf(buf, len, "#%u", map_idx);
	return buf;
}

const char *vreg_type_name(const struct vreg *reg)
{
	bool null = reg->flags & REG_MAYBE_NULL;

	switch (reg->type) {
	case REG_NOT_INIT: return "uninitialised";
	case REG_SCALAR: return "a number";
	case PTR_TO_CTX: return "the context pointer";
	case PTR_TO_STACK: return "a stack pointer";
	case CONST_PTR_TO_MAP: return "a map pointer";
	case PTR_TO_MAP_VALUE: return null ? "a map value pointer that may be NULL" : "a map value pointer";
	case PTR_TO_PACKET: return "a packet pointer";
	case PTR_TO_PACKET_END: return "the packet end pointer";
	case PTR_TO_PACKET_META: return "a packet metadata pointer";
	case PTR_TO_MEM:
		if (reg->flags & REG_MAP_KEY)
			return "a map key pointer";
		if (reg->flags & REG_RINGBUF)
			return null ? "a ring buffer reservation that may be NULL" : "a ring buffer reservation";
		return "a buffer pointer";
	case PTR_TO_FUNC: return "a function pointer";
	default: return "?";
	}
}

static int scalar_snprint(char *buf, size_t len, const struct vreg *r)
{
	char t[48];
	int n = 0;

	if (tnum_is_const(r->var_off)) {
		int64_t v = (int64_t)r->var_off.value;

		if (v >= -4096 && v <= 4096)
			return snprintf(buf, len, "%" PRId64, v);
		return snprintf(buf, len, "%#" PRIx64, r->var_off.value);
	}
	n += snprintf(buf + n, len - (size_t)n, "scalar(");
#define ADD(...) do { if ((size_t)n < len) n += snprintf(buf + n, len - (size_t)n, __VA_ARGS__); } while (0)
	if (r->smin != INT64_MIN) ADD("smin=%" PRId64 ",", r->smin);
	if (r->smax != INT64_MAX) ADD("smax=%" PRId64 ",", r->smax);
	if (r->umin != 0) ADD("umin=%" PRIu64 ",", r->umin);
	if (r->umax != UINT64_MAX) ADD("umax=%" PRIu64 ",", r->umax);
	if (r->var_off.mask != UINT64_MAX) {
		tnum_snprint(t, sizeof(t), r->var_off);
		ADD("var_off=%s,", t);
	}
	if (r->id) ADD("id=%u,", r->id);
	if ((size_t)n < len && buf[n - 1] == ',')
		n--;
	if ((size_t)n < len && buf[n - 1] == '(')
		ADD("unknown");
	ADD(")");
	return n;
}

int vreg_snprint(const struct venv *env, char *buf, size_t len, const struct vreg *r)
{
	char var[96] = "", m[80];
	const char *null = (r->flags & REG_MAYBE_NULL) ? "_or_null" : "";

	if (r->type == REG_SCALAR)
		return scalar_snprint(buf, len, r);
	if (r->type == REG_NOT_INIT)
		return snprintf(buf, len, "uninitialised");
	if (r->type != CONST_PTR_TO_MAP && r->type != PTR_TO_FUNC && !tnum_equals_const(r->var_off, 0)) {
		struct vreg v = *r;
		char t[48];

		tnum_snprint(t, sizeof(t), v.var_off);
		snprintf(var, sizeof(var), ", var=[%" PRId64 "..%" PRId64 "] %s", v.smin, v.smax, t);
	}
	switch (r->type) {
	case PTR_TO_CTX:
		return snprintf(buf, len, "ctx(off=%d%s)", r->off, var);
	case PTR_TO_STACK:
		/* another frame's stack (a caller's, seen from a callee or callback) */
		if (env->cur && r->frameno != env->cur->curframe)
			snprintf(m, sizeof(m), "[frame%u]", r->frameno);
		else
			m[0] = 0;
		if (!var[0])
			return snprintf(buf, len, "fp%s%d", m, r->off);
		return snprintf(buf, len, "fp%s(off=%d%s)", m, r->off, var);
	case CONST_PTR_TO_MAP:
		return snprintf(buf, len, "map_ptr(%s)", vmap_name(env, r->aux, m, sizeof(m)));
	case PTR_TO_MAP_VALUE:
		return snprintf(buf, len, "map_value%s(map=%s, off=%d, value_size=%u%s%s)", null,
				vmap_name(env, r->aux, m, sizeof(m)), r->off,
				r->aux < env->nr_maps ? env->maps[r->aux].value_size : 0, var,
				r->id && null[0] ? "" : "");
	case PTR_TO_PACKET:
		return snprintf(buf, len, "pkt(off=%d, range=%d%s)", r->off, r->range, var);
	case PTR_TO_PACKET_META:
		return snprintf(buf, len, "pkt_meta(off=%d, range=%d%s)", r->off, r->range, var);
	case PTR_TO_PACKET_END:
		return snprintf(buf, len, "pkt_end(off=%d)", r->off);
	case PTR_TO_MEM:
		return snprintf(buf, len, "%s%s(size=%u, off=%d%s)",
				(r->flags & REG_MAP_KEY) ? "map_key" : (r->flags & REG_RINGBUF) ? "ringbuf_mem" :
				(r->flags & REG_RDONLY) ? "rdonly_mem" : "mem",
				null, r->aux, r->off, var);
	case PTR_TO_FUNC:
		return snprintf(buf, len, "func(subprog=%u)", r->aux);
	default:
		return snprintf(buf, len, "?");
	}
}

static void source_of(const struct venv *env, long idx, char *buf, size_t len)
{
	const struct uebpf_insn_line *best = NULL;

	buf[0] = 0;
	if (idx < 0)
		return;
	for (size_t i = 0; i < env->nr_lines; i++) {
		if (env->lines[i].insn_idx > (uint64_t)idx)
			break;
		best = &env->lines[i];
	}
	if (!best)
		return;
	snprintf(buf, len, "%s:%u:%u%s%s", best->file ? best->file : "?", best->line, best->col,
		 best->text ? ": " : "", best->text ? best->text : "");
}

static int vrecord(struct venv *env, int code, long idx, uint32_t regs, const char *hint,
		   const char *fmt, va_list ap)
{
	size_t n = 0;

	if (env->refused)
		return env->refusal_code;
	env->refused = true;
	env->refusal_code = code;
	env->refusal_insn = idx;
	vsnprintf(env->reason, sizeof(env->reason), fmt, ap);
	snprintf(env->hint, sizeof(env->hint), "%s", hint ? hint : "");
	env->insn_text[0] = 0;
	if (idx >= 0 && (uint64_t)idx < env->cnt)
		isa_format_insn(env->insns, env->cnt, (size_t)idx, env->insn_text, sizeof(env->insn_text));
	source_of(env, idx, env->source, sizeof(env->source));
	env->reg_state[0] = 0;
	if (env->cur && env->cur->frames[env->cur->curframe]) {
		const struct vreg *r = cur_regs(env);

		for (uint32_t i = 0; i < ISA_NR_REGS && n < sizeof(env->reg_state) - 1; i++) {
			if (!(regs & (1u << i)))
				continue;
			n += (size_t)snprintf(env->reg_state + n, sizeof(env->reg_state) - n, "%sr%u: ",
					      n ? ", " : "", i);
			if (n < sizeof(env->reg_state) - 1)
				n += (size_t)vreg_snprint(env, env->reg_state + n, sizeof(env->reg_state) - n,
							  &r[i]);
		}
	}
	if (env->log_level >= UEBPF_VERIFY_LOG_BRIEF) {
		vbuf_printf(&env->log, "refused at insn %ld: %s\n  %s\n", idx, env->insn_text, env->reason);
		if (env->reg_state[0])
			vbuf_printf(&env->log, "  state: %s\n", env->reg_state);
	}
	return code;
}

int verr(struct venv *env, uint32_t regs, const char *hint, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vrecord(env, -EACCES, env->cur ? (long)env->cur->insn_idx : -1, regs, hint, fmt, ap);
	va_end(ap);
	return ret;
}

int verr_at(struct venv *env, int code, long insn_idx, uint32_t regs, const char *hint,
	    const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vrecord(env, code, insn_idx, regs, hint, fmt, ap);
	va_end(ap);
	return ret;
}

void vlog_state(struct venv *env, const struct vstate *st)
{
	char buf[256];

	for (uint32_t fi = 0; fi <= st->curframe; fi++) {
		const struct vframe *f = st->frames[fi];

		if (st->curframe)
			vbuf_printf(&env->log, "  frame%u:", fi);
		for (uint32_t r = 0; r < ISA_NR_REGS; r++) {
			if (f->regs[r].type == REG_NOT_INIT)
				continue;
			vreg_snprint(env, buf, sizeof(buf), &f->regs[r]);
			vbuf_printf(&env->log, " r%u=%s", r, buf);
		}
		for (uint32_t s = 0; s < f->nslots; s++) {
			const struct vslot *sl = &f->stack[s];

			if (sl->bytes[0] == SLOT_SPILL) {
				vreg_snprint(env, buf, sizeof(buf), &sl->spilled);
				vbuf_printf(&env->log, " fp%d=%s", -(int)(s + 1) * 8, buf);
			} else {
				char kinds[9];
				bool any = false;

				for (int i = 0; i < 8; i++) {
					kinds[7 - i] = "?sm0"[sl->bytes[i]];
					any |= sl->bytes[i] != SLOT_INVALID;
				}
				kinds[8] = 0;
				if (any)
					vbuf_printf(&env->log, " fp%d=%s", -(int)(s + 1) * 8, kinds);
			}
		}
	}
	if (st->nrefs)
		vbuf_printf(&env->log, " refs=%u", st->nrefs);
	vbuf_printf(&env->log, "\n");
}

void vlog_insn(struct venv *env, uint32_t idx)
{
	char text[96];

	isa_format_insn(env->insns, env->cnt, idx, text, sizeof(text));
	vbuf_printf(&env->log, "%u: %s\n", idx, text);
}
