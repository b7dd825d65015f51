/* SPDX-License-Identifier: MIT */
/* Instructions to text that src/isa/asm.c reads back to the same bytes:
 * every field of a validly encoded instruction appears in its text, and an
 * instruction whose encoding is invalid is printed raw as `.insn 0x...`. */
#include "uebpf/asm.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "isa/isa.h"
#include "isa/mnemonics.h"

#define LINE_MAX_LEN 160

/* How branch targets are spelled: `L<index>` where the index is marked in
 * `label_at` (whole-program disassembly), otherwise a relative `+N`/`-N`. */
struct target_names {
	const bool *label_at;
	size_t cnt;
};

static void format_target(char *buf, size_t len, const struct target_names *names,
			  size_t idx, int64_t delta)
{
	int64_t target = (int64_t)idx + 1 + delta;

	if (names && names->label_at && target >= 0 && target < (int64_t)names->cnt &&
	    names->label_at[target])
		snprintf(buf, len, "L%" PRId64, target);
	else
		snprintf(buf, len, "%+" PRId64, delta);
}

static void format_mem(char *buf, size_t len, unsigned reg, int16_t off)
{
	if (off)
		snprintf(buf, len, "[%%r%u%+d]", reg, off);
	else
		snprintf(buf, len, "[%%r%u]", reg);
}

/* Small immediates in decimal, large ones as their hex bit pattern (which
 * the assembler reads back as the same 32 bits). */
static void format_imm(char *buf, size_t len, int32_t imm)
{
	if (imm > -0x10000 && imm < 0x10000)
		snprintf(buf, len, "%d", imm);
	else
		snprintf(buf, len, "0x%x", (uint32_t)imm);
}

/* Unsigned 32-bit values the way parse_imm32 reads them back. */
static void format_u32(char *buf, size_t len, uint32_t v)
{
	if (v <= INT32_MAX)
		snprintf(buf, len, "%u", v);
	else
		snprintf(buf, len, "0x%x", v);
}

static int format_lddw(const struct bpf_insn *insns, size_t cnt, size_t idx,
		       const struct target_names *names, char *buf, size_t len)
{
	const struct bpf_insn *insn = &insns[idx];
	uint32_t hi = idx + 1 < cnt ? (uint32_t)insns[idx + 1].imm : 0;
	const char *kind = isa_lddw_kind_name(insn->src_reg);
	char value[48], extra[24] = "";

	if (insn->src_reg == 0)
		return snprintf(buf, len, "lddw %%r%u, 0x%" PRIx64, insn->dst_reg,
				(uint64_t)hi << 32 | (uint32_t)insn->imm);
	if (!kind)
		return snprintf(buf, len, "lddw %%r%u, <unknown kind %u> %d", insn->dst_reg,
				insn->src_reg, insn->imm);
	if (insn->src_reg == BPF_PSEUDO_FUNC)
		format_target(value, sizeof(value), names, idx, insn->imm);
	else
		snprintf(value, sizeof(value), "%d", insn->imm);
	if (hi || isa_lddw_kind_has_offset(insn->src_reg)) {
		extra[0] = '+';
		format_u32(extra + 1, sizeof(extra) - 1, hi);
	}
	return snprintf(buf, len, "lddw %%r%u, %s %s%s", insn->dst_reg, kind, value, extra);
}

static int format_raw(const struct bpf_insn *insn, char *buf, size_t len)
{
	return snprintf(buf, len, ".insn 0x%016" PRIx64, isa_insn_to_word(insn));
}

/* Prints instruction `idx` from its opcode's mnemonic; fields the form does
 * not show are not looked at, so callers wanting exact text check the
 * encoding first. */
static int format_known(const struct bpf_insn *insns, size_t cnt, size_t idx,
			const struct isa_mnemonic *m, const struct target_names *names,
			char *buf, size_t len)
{
	const struct bpf_insn *insn = &insns[idx];
	bool reg = isa_src(insn->code) == BPF_X;
	char target[32], mem[32], imm[16];

	format_imm(imm, sizeof(imm), insn->imm);
	switch (m->form) {
	case ISA_FORM_ALU:
		if (reg)
			return snprintf(buf, len, "%s %%r%u, %%r%u", m->name, insn->dst_reg,
					insn->src_reg);
		return snprintf(buf, len, "%s %%r%u, %s", m->name, insn->dst_reg, imm);
	case ISA_FORM_MOVSX:
		return snprintf(buf, len, "%s %%r%u, %%r%u", m->name, insn->dst_reg, insn->src_reg);
	case ISA_FORM_NEG:
	case ISA_FORM_ENDIAN:
		return snprintf(buf, len, "%s %%r%u", m->name, insn->dst_reg);
	case ISA_FORM_LDDW:
		return format_lddw(insns, cnt, idx, names, buf, len);
	case ISA_FORM_LDX:
		format_mem(mem, sizeof(mem), insn->src_reg, insn->off);
		return snprintf(buf, len, "%s %%r%u, %s", m->name, insn->dst_reg, mem);
	case ISA_FORM_ST:
		format_mem(mem, sizeof(mem), insn->dst_reg, insn->off);
		return snprintf(buf, len, "%s %s, %s", m->name, mem, imm);
	case ISA_FORM_STX:
	case ISA_FORM_ATOMIC:
		format_mem(mem, sizeof(mem), insn->dst_reg, insn->off);
		return snprintf(buf, len, "%s %s, %%r%u", m->name, mem, insn->src_reg);
	case ISA_FORM_LDABS:
		return snprintf(buf, len, "%s %s", m->name, imm);
	case ISA_FORM_LDIND:
		return snprintf(buf, len, "%s %%r%u, %s", m->name, insn->src_reg, imm);
	case ISA_FORM_JA:
		format_target(target, sizeof(target), names, idx, insn->off);
		return snprintf(buf, len, "%s %s", m->name, target);
	case ISA_FORM_GOTOL:
		format_target(target, sizeof(target), names, idx, insn->imm);
		return snprintf(buf, len, "%s %s", m->name, target);
	case ISA_FORM_JCOND:
		format_target(target, sizeof(target), names, idx, insn->off);
		if (reg)
			return snprintf(buf, len, "%s %%r%u, %%r%u, %s", m->name, insn->dst_reg,
					insn->src_reg, target);
		return snprintf(buf, len, "%s %%r%u, %s, %s", m->name, insn->dst_reg, imm, target);
	case ISA_FORM_CALL:
		if (reg)
			return snprintf(buf, len, "call %%r%u", insn->dst_reg);
		if (insn->src_reg == BPF_PSEUDO_CALL) {
			format_target(target, sizeof(target), names, idx, insn->imm);
			return snprintf(buf, len, "call local %s", target);
		}
		return snprintf(buf, len, "call %d", insn->imm);
	case ISA_FORM_EXIT:
		return snprintf(buf, len, "%s", m->name);
	}
	return format_raw(insn, buf, len);
}

static bool encoding_ok(const struct bpf_insn *insns, size_t cnt, size_t idx)
{
	const struct bpf_insn *next = idx + 1 < cnt ? &insns[idx + 1] : NULL;

	return isa_check_encoding(&insns[idx], next, NULL, 0) == 0;
}

int isa_format_insn(const struct bpf_insn *insns, size_t cnt, size_t idx,
		    char *buf, size_t len)
{
	const struct isa_mnemonic *m;

	if (!insns || idx >= cnt)
		return snprintf(buf, len, "<no instruction %zu>", idx);
	/* Error messages want the best reading even of a bad encoding: the
	 * opcode's mnemonic if it has one (the caller prints the bytes too). */
	m = isa_mnemonic_for_insn(&insns[idx]);
	if (!m && isa_is_alu(insns[idx].code)) {
		/* an ALU opcode with a stray offset still reads as its operation */
		struct bpf_insn no_off = insns[idx];

		no_off.off = 0;
		m = isa_mnemonic_for_insn(&no_off);
	}
	if (!m)
		return format_raw(&insns[idx], buf, len);
	return format_known(insns, cnt, idx, m, NULL, buf, len);
}

/* ------------------------------------------------------ whole program */

struct strbuf {
	char *s;
	size_t len, cap;
	bool failed;
};

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (sb->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (sb->len + (size_t)n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 1024;
		char *p;

		while (cap < sb->len + (size_t)n + 1)
			cap *= 2;
		p = realloc(sb->s, cap);
		if (!p) {
			sb->failed = true;
			return;
		}
		sb->s = p;
		sb->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, sb->cap - sb->len, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* Branch offset of a validly encoded instruction that has one. */
static bool branch_delta(const struct bpf_insn *insn, int64_t *delta)
{
	if (isa_is_ja(insn->code) || isa_is_cond_jmp(insn->code) || isa_is_local_call(insn)) {
		*delta = insn->code == (BPF_JMP32 | BPF_JA) || isa_is_local_call(insn) ?
			 insn->imm : insn->off;
		return true;
	}
	if (isa_is_lddw(insn) && insn->src_reg == BPF_PSEUDO_FUNC) {
		*delta = insn->imm;
		return true;
	}
	return false;
}

int uebpf_disasm(const struct bpf_insn *insns, size_t cnt, char **text,
		 struct uebpf_error *err)
{
	struct strbuf sb = { 0 };
	bool *valid = NULL, *start = NULL, *label_at = NULL;
	struct target_names names;
	char line[LINE_MAX_LEN];
	size_t i;

	if (!text || (!insns && cnt))
		return uebpf_err(err, -EINVAL, "uebpf_disasm: text and insns must not be NULL");
	*text = NULL;
	valid = calloc(cnt + 1, sizeof(*valid));
	start = calloc(cnt + 1, sizeof(*start));
	label_at = calloc(cnt + 1, sizeof(*label_at));
	if (!valid || !start || !label_at)
		goto oom;

	/* Pass 1: where instructions start (a valid lddw spans two slots) and
	 * which starts are branch targets. A target that is no instruction
	 * start stays a relative offset: a label cannot sit inside a lddw. */
	for (i = 0; i < cnt; i++) {
		start[i] = true;
		/* every valid encoding has a mnemonic; the check keeps a gap in
		 * the table from turning into a crash */
		valid[i] = encoding_ok(insns, cnt, i) && isa_mnemonic_for_insn(&insns[i]);
		if (valid[i] && isa_is_lddw(&insns[i]))
			i++;
	}
	for (i = 0; i < cnt; i++) {
		int64_t delta, target;

		if (!start[i] || !valid[i] || !branch_delta(&insns[i], &delta))
			continue;
		target = (int64_t)i + 1 + delta;
		if (target >= 0 && target < (int64_t)cnt && start[target])
			label_at[target] = true;
	}

	names.label_at = label_at;
	names.cnt = cnt;
	sb_printf(&sb, "%s", "");
	for (i = 0; i < cnt; i++) {
		if (!start[i])
			continue;
		if (label_at[i])
			sb_printf(&sb, "L%zu:\n", i);
		if (valid[i]) {
			format_known(insns, cnt, i, isa_mnemonic_for_insn(&insns[i]), &names,
				     line, sizeof(line));
			sb_printf(&sb, "%s\n", line);
		} else {
			char why[128];
			const struct bpf_insn *next = i + 1 < cnt ? &insns[i + 1] : NULL;

			isa_check_encoding(&insns[i], next, why, sizeof(why));
			format_raw(&insns[i], line, sizeof(line));
			sb_printf(&sb, "%s # invalid: %s\n", line, why);
		}
	}
	if (sb.failed)
		goto oom;
	free(valid);
	free(start);
	free(label_at);
	*text = sb.s;
	return 0;

oom:
	free(valid);
	free(start);
	free(label_at);
	free(sb.s);
	return uebpf_err(err, -ENOMEM, "uebpf_disasm: out of memory for %zu instructions", cnt);
}
