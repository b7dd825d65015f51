/* SPDX-License-Identifier: MIT */
/* Text to instructions, in the syntax of the conformance vectors; the
 * reference is docs/assembly.md. Two passes: encode every line, remembering
 * which slots name a label, then patch the labels in. */
#include "uebpf/asm.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "isa/isa.h"
#include "isa/mnemonics.h"

#define MAX_OPERANDS 4
#define MAX_LINE_QUOTE 80

/* Where a label's distance goes once it is known. */
enum fixup_field { FIX_OFF, FIX_IMM };

struct fixup {
	size_t slot;
	enum fixup_field field;
	char *label;
	int line;
	char *text;     /* the line, for the error message */
};

struct label {
	char *name;
	size_t slot;
	int line;
};

struct assembler {
	struct bpf_insn *insns;
	size_t cnt, cap;
	struct label *labels;
	size_t nr_labels, labels_cap;
	struct fixup *fixups;
	size_t nr_fixups, fixups_cap;
	bool have_exit;
	size_t first_exit;       /* target of the implicit label `exit` */
	/* the line being assembled, for error messages */
	int line;
	const char *text;
	struct uebpf_error *err;
};

static int line_error(struct assembler *as, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Every error names the line and quotes it, then says what is wrong. */
static int line_error(struct assembler *as, const char *fmt, ...)
{
	char why[UEBPF_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return uebpf_err(as->err, -EINVAL, "line %d: `%.*s`: %s", as->line, MAX_LINE_QUOTE,
			 as->text, why);
}

static int no_memory(struct assembler *as)
{
	return uebpf_err(as->err, -ENOMEM, "line %d: out of memory while assembling", as->line);
}

static bool grow(void **array, size_t *cap, size_t need, size_t elem)
{
	size_t new_cap;
	void *p;

	if (need <= *cap)
		return true;
	new_cap = *cap ? *cap * 2 : 64;
	while (new_cap < need)
		new_cap *= 2;
	p = realloc(*array, new_cap * elem);
	if (!p)
		return false;
	*array = p;
	*cap = new_cap;
	return true;
}

static int emit(struct assembler *as, struct bpf_insn insn)
{
	if (!grow((void **)&as->insns, &as->cap, as->cnt + 1, sizeof(*as->insns)))
		return no_memory(as);
	as->insns[as->cnt++] = insn;
	return 0;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static bool is_identifier(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_' && *s != '.')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '.')
			return false;
	return true;
}

/* ------------------------------------------------------------- numbers */

/* A number: optional sign, then decimal or 0x hex digits, nothing else. */
struct number {
	bool negative;
	bool hex;
	uint64_t magnitude;
};

/* 0, -EINVAL when `s` is not a number, -ERANGE when it exceeds 64 bits. */
static int parse_number(const char *s, struct number *n)
{
	char *end;

	n->negative = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	n->hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (n->hex)
		s += 2;
	if (!isxdigit((unsigned char)*s) || (!n->hex && !isdigit((unsigned char)*s)))
		return -EINVAL;
	errno = 0;
	n->magnitude = strtoull(s, &end, n->hex ? 16 : 10);
	if (*end != '\0')
		return -EINVAL;
	return errno ? -ERANGE : 0;
}

/* A 32-bit immediate: decimal must fit int32; hex may also be written as the
 * unsigned bit pattern, up to 0xffffffff. */
static int parse_imm32(struct assembler *as, const char *s, int32_t *imm)
{
	struct number n;
	uint64_t max;
	int ret = parse_number(s, &n);

	if (ret == -EINVAL)
		return line_error(as, "`%s` is not a number (write decimal like -8 or hex like 0x1f)", s);
	max = n.negative ? 0x80000000u : n.hex ? 0xffffffffu : 0x7fffffffu;
	if (ret || n.magnitude > max)
		return line_error(as, "immediate `%s` does not fit in 32 bits "
				  "(decimal -2147483648..2147483647, hex up to 0xffffffff)", s);
	*imm = (int32_t)(uint32_t)(n.negative ? -n.magnitude : n.magnitude);
	return 0;
}

/* A 16-bit signed offset, in either base: -32768..32767. */
static int parse_off16(struct assembler *as, const char *s, int16_t *off)
{
	struct number n;
	int ret = parse_number(s, &n);

	if (ret == -EINVAL)
		return line_error(as, "offset `%s` is not a number", s);
	if (ret || n.magnitude > (n.negative ? 0x8000u : 0x7fffu))
		return line_error(as, "offset `%s` does not fit in 16 bits (-32768..32767)", s);
	*off = (int16_t)(n.negative ? -(int64_t)n.magnitude : (int64_t)n.magnitude);
	return 0;
}

static int parse_imm64(struct assembler *as, const char *s, uint64_t *imm)
{
	struct number n;
	int ret = parse_number(s, &n);

	if (ret == -EINVAL)
		return line_error(as, "`%s` is not a number (write decimal or 0x hex)", s);
	if (ret || (n.negative && n.magnitude > (UINT64_C(1) << 63)))
		return line_error(as, "immediate `%s` does not fit in 64 bits", s);
	*imm = n.negative ? -n.magnitude : n.magnitude;
	return 0;
}

/* ----------------------------------------------------------- operands */

static int parse_reg(struct assembler *as, const char *s, uint8_t *reg)
{
	char *end;
	unsigned long n;

	if (s[0] != '%' || s[1] != 'r' || !isdigit((unsigned char)s[2]))
		return line_error(as, "expected a register %%r0..%%r10, got `%s`", s);
	n = strtoul(s + 2, &end, 10);
	if (*end != '\0' || n >= ISA_NR_REGS)
		return line_error(as, "invalid register `%s`: registers are %%r0..%%r10", s);
	*reg = (uint8_t)n;
	return 0;
}

static bool is_reg_operand(const char *s)
{
	return s[0] == '%';
}

/* `[%rN]`, `[%rN+off]` or `[%rN-off]`; spaces inside are allowed. */
static int parse_mem(struct assembler *as, const char *s, uint8_t *reg, int16_t *off)
{
	char inner[64];
	size_t len = strlen(s), n = 0;
	char *sign;
	int ret;

	if (len < 2 || s[0] != '[' || s[len - 1] != ']')
		return line_error(as, "expected a memory operand like [%%r1+8], got `%s`", s);
	for (size_t i = 1; i + 1 < len; i++) {
		if (isspace((unsigned char)s[i]))
			continue;
		if (n + 1 >= sizeof(inner))
			return line_error(as, "memory operand `%s` is too long", s);
		inner[n++] = s[i];
	}
	inner[n] = '\0';
	*off = 0;
	sign = strpbrk(inner, "+-");
	if (sign) {
		ret = parse_off16(as, sign, off);
		if (ret)
			return ret;
		*sign = '\0';
	}
	return parse_reg(as, inner, reg);
}

/* ------------------------------------------------------------- labels */

static struct label *find_label(struct assembler *as, const char *name)
{
	for (size_t i = 0; i < as->nr_labels; i++)
		if (!strcmp(as->labels[i].name, name))
			return &as->labels[i];
	return NULL;
}

static int define_label(struct assembler *as, const char *name)
{
	struct label *old;

	if (!is_identifier(name))
		return line_error(as, "`%s` is not a valid label name (letters, digits, _ and ., "
				  "not starting with a digit)", name);
	old = find_label(as, name);
	if (old)
		return line_error(as, "label `%s` is already defined on line %d", name, old->line);
	if (!grow((void **)&as->labels, &as->labels_cap, as->nr_labels + 1, sizeof(*as->labels)))
		return no_memory(as);
	as->labels[as->nr_labels].name = strdup(name);
	if (!as->labels[as->nr_labels].name)
		return no_memory(as);
	as->labels[as->nr_labels].slot = as->cnt;
	as->labels[as->nr_labels].line = as->line;
	as->nr_labels++;
	return 0;
}

/* A jump or call target for the slot about to be emitted: `+N`/`-N` (slots
 * after the next instruction) or a label, patched in pass two. */
static int parse_target(struct assembler *as, const char *s, enum fixup_field field,
			int16_t *off, int32_t *imm)
{
	struct fixup *f;

	if (s[0] == '+' || s[0] == '-')
		return field == FIX_OFF ? parse_off16(as, s, off) : parse_imm32(as, s, imm);
	if (!is_identifier(s))
		return line_error(as, "expected a label or a relative offset like +3 or -2, got `%s`", s);
	if (!grow((void **)&as->fixups, &as->fixups_cap, as->nr_fixups + 1, sizeof(*as->fixups)))
		return no_memory(as);
	f = &as->fixups[as->nr_fixups];
	f->slot = as->cnt;
	f->field = field;
	f->line = as->line;
	f->label = strdup(s);
	f->text = strdup(as->text);
	if (!f->label || !f->text) {
		free(f->label);
		free(f->text);
		return no_memory(as);
	}
	as->nr_fixups++;
	return 0;
}

static int resolve_fixups(struct assembler *as)
{
	for (size_t i = 0; i < as->nr_fixups; i++) {
		struct fixup *f = &as->fixups[i];
		struct label *l = find_label(as, f->label);
		int64_t target, delta;

		as->line = f->line;
		as->text = f->text;
		if (l)
			target = (int64_t)l->slot;
		else if (!strcmp(f->label, "exit") && as->have_exit)
			target = (int64_t)as->first_exit;
		else
			return line_error(as, "undefined label `%s`", f->label);
		delta = target - (int64_t)f->slot - 1;
		if (f->field == FIX_OFF) {
			if (delta < INT16_MIN || delta > INT16_MAX)
				return line_error(as, "label `%s` is %" PRId64 " instructions away; a jump "
						  "reaches -32768..32767 (use ja32 for farther)",
						  f->label, delta);
			as->insns[f->slot].off = (int16_t)delta;
		} else {
			as->insns[f->slot].imm = (int32_t)delta;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- encoders */

static int encode_pseudo_lddw(struct assembler *as, int kind, char *value,
			      struct bpf_insn *insn, struct bpf_insn *second)
{
	/* a leading sign belongs to the value (func -3), so look past it */
	char *plus = strrchr(value + 1, '+');
	int ret;

	insn->src_reg = (uint8_t)kind;
	if (plus) {
		*plus = '\0';
		ret = parse_imm32(as, trim(plus + 1), &second->imm);
		if (ret)
			return ret;
	}
	value = trim(value);
	if (kind == BPF_PSEUDO_FUNC)
		return parse_target(as, value, FIX_IMM, NULL, &insn->imm);
	return parse_imm32(as, value, &insn->imm);
}

/* `lddw %rD, imm64` or a pseudo form `lddw %rD, KIND VALUE[+IMM]` whose
 * extra IMM goes in the second slot. */
static int encode_lddw(struct assembler *as, const char *operand, struct bpf_insn *insn,
		       struct bpf_insn *second)
{
	size_t kind_len = strcspn(operand, " \t");
	char *kind_name, *value;
	int kind, ret;
	uint64_t imm = 0;   /* set by parse_imm64 on success; gcc -O3 cannot see it */

	if (!operand[kind_len]) {
		ret = parse_imm64(as, operand, &imm);
		if (ret)
			return ret;
		insn->imm = (int32_t)(uint32_t)imm;
		second->imm = (int32_t)(uint32_t)(imm >> 32);
		return 0;
	}
	kind_name = strndup(operand, kind_len);
	if (!kind_name)
		return no_memory(as);
	kind = isa_lddw_kind_by_name(kind_name);
	if (kind < 0) {
		ret = line_error(as, "unknown lddw kind `%s`: use a number, map_fd, map_value, "
				 "btf_id, func, map_idx or map_idx_value", kind_name);
		free(kind_name);
		return ret;
	}
	free(kind_name);
	value = strdup(operand + kind_len);
	if (!value)
		return no_memory(as);
	ret = encode_pseudo_lddw(as, kind, trim(value), insn, second);
	free(value);
	return ret;
}

static int encode(struct assembler *as, const struct isa_mnemonic *m, const char *const *ops)
{
	struct bpf_insn insn = { .code = m->code, .off = m->off, .imm = m->imm };
	struct bpf_insn second = { 0 };
	uint8_t reg = 0;
	int ret = 0;

	switch (m->form) {
	case ISA_FORM_ALU:
		ret = parse_reg(as, ops[0], &reg);
		insn.dst_reg = reg;
		if (ret)
			return ret;
		if (is_reg_operand(ops[1])) {
			insn.code |= BPF_X;
			ret = parse_reg(as, ops[1], &reg);
			insn.src_reg = reg;
		} else {
			ret = parse_imm32(as, ops[1], &insn.imm);
		}
		break;
	case ISA_FORM_MOVSX:
		ret = parse_reg(as, ops[0], &reg);
		insn.dst_reg = reg;
		if (!ret)
			ret = parse_reg(as, ops[1], &reg);
		insn.src_reg = reg;
		break;
	case ISA_FORM_NEG:
	case ISA_FORM_ENDIAN:
		ret = parse_reg(as, ops[0], &reg);
		insn.dst_reg = reg;
		break;
	case ISA_FORM_LDDW:
		ret = parse_reg(as, ops[0], &reg);
		insn.dst_reg = reg;
		if (!ret)
			ret = encode_lddw(as, ops[1], &insn, &second);
		break;
	case ISA_FORM_LDX:
		ret = parse_reg(as, ops[0], &reg);
		insn.dst_reg = reg;
		if (!ret)
			ret = parse_mem(as, ops[1], &reg, &insn.off);
		insn.src_reg = reg;
		break;
	case ISA_FORM_ST:
		ret = parse_mem(as, ops[0], &reg, &insn.off);
		insn.dst_reg = reg;
		if (!ret)
			ret = parse_imm32(as, ops[1], &insn.imm);
		break;
	case ISA_FORM_STX:
	case ISA_FORM_ATOMIC:
		ret = parse_mem(as, ops[0], &reg, &insn.off);
		insn.dst_reg = reg;
		if (!ret)
			ret = parse_reg(as, ops[1], &reg);
		insn.src_reg = reg;
		break;
	case ISA_FORM_LDABS:
		ret = parse_imm32(as, ops[0], &insn.imm);
		break;
	case ISA_FORM_LDIND:
		ret = parse_reg(as, ops[0], &reg);
		insn.src_reg = reg;
		if (!ret)
			ret = parse_imm32(as, ops[1], &insn.imm);
		break;
	case ISA_FORM_JA:
		ret = parse_target(as, ops[0], FIX_OFF, &insn.off, NULL);
		break;
	case ISA_FORM_GOTOL:
		ret = parse_target(as, ops[0], FIX_IMM, NULL, &insn.imm);
		break;
	case ISA_FORM_JCOND:
		ret = parse_reg(as, ops[0], &reg);
		insn.dst_reg = reg;
		if (ret)
			return ret;
		if (is_reg_operand(ops[1])) {
			insn.code |= BPF_X;
			ret = parse_reg(as, ops[1], &reg);
			insn.src_reg = reg;
		} else {
			ret = parse_imm32(as, ops[1], &insn.imm);
		}
		if (!ret)
			ret = parse_target(as, ops[2], FIX_OFF, &insn.off, NULL);
		break;
	case ISA_FORM_CALL:
		if (is_reg_operand(ops[0])) {
			/* callx keeps its register in dst_reg, as LLVM emits it */
			insn.code |= BPF_X;
			ret = parse_reg(as, ops[0], &reg);
			insn.dst_reg = reg;
		} else if (!strncmp(ops[0], "local", 5) && isspace((unsigned char)ops[0][5])) {
			const char *target = ops[0] + 5;

			while (isspace((unsigned char)*target))
				target++;
			insn.src_reg = BPF_PSEUDO_CALL;
			ret = parse_target(as, target, FIX_IMM, NULL, &insn.imm);
		} else {
			ret = parse_imm32(as, ops[0], &insn.imm);
		}
		break;
	case ISA_FORM_EXIT:
		if (!as->have_exit) {
			as->have_exit = true;
			as->first_exit = as->cnt;
		}
		break;
	}
	if (ret)
		return ret;
	ret = emit(as, insn);
	if (!ret && m->form == ISA_FORM_LDDW)
		ret = emit(as, second);
	return ret;
}

/* `.insn 0x<64-bit word>`: one raw slot, so that even invalid programs
 * round-trip through the disassembler. */
static int encode_raw(struct assembler *as, const char *const *ops, size_t nr_ops)
{
	uint64_t word = 0;  /* set by parse_imm64 on success; gcc -O3 cannot see it */
	int ret;

	if (nr_ops != 1)
		return line_error(as, ".insn takes 1 operand (a 64-bit word like 0x0000000100000007), "
				  "got %zu", nr_ops);
	ret = parse_imm64(as, ops[0], &word);
	if (ret)
		return ret;
	return emit(as, isa_insn_from_word(word));
}

/* Splits "a, b, c" in place; an empty operand is an error. */
static int split_operands(struct assembler *as, char *s, char **ops, size_t *nr_ops)
{
	*nr_ops = 0;
	s = trim(s);
	if (!*s)
		return 0;
	for (;;) {
		char *comma = strchr(s, ',');

		if (comma)
			*comma = '\0';
		if (*nr_ops == MAX_OPERANDS)
			return line_error(as, "too many operands");
		ops[(*nr_ops)++] = trim(s);
		if (!*ops[*nr_ops - 1])
			return line_error(as, "empty operand (stray comma?)");
		if (!comma)
			return 0;
		s = comma + 1;
	}
}

static const char *form_usage(enum isa_form form)
{
	switch (form) {
	case ISA_FORM_ALU: return "%rD, %rS or %rD, imm";
	case ISA_FORM_MOVSX: return "%rD, %rS";
	case ISA_FORM_NEG: case ISA_FORM_ENDIAN: return "%rD";
	case ISA_FORM_LDDW: return "%rD, imm64";
	case ISA_FORM_LDX: return "%rD, [%rS+off]";
	case ISA_FORM_ST: return "[%rD+off], imm";
	case ISA_FORM_STX: case ISA_FORM_ATOMIC: return "[%rD+off], %rS";
	case ISA_FORM_LDABS: return "imm";
	case ISA_FORM_LDIND: return "%rS, imm";
	case ISA_FORM_JA: case ISA_FORM_GOTOL: return "label or +N/-N";
	case ISA_FORM_JCOND: return "%rD, %rS or imm, label or +N/-N";
	case ISA_FORM_CALL: return "helper-id, %rN or local label";
	case ISA_FORM_EXIT: return "no operands";
	}
	return "";
}

/* `lock [fetch] op` names one mnemonic; the operands start at the `[`. */
static int split_lock(struct assembler *as, char *rest, char *name, size_t name_len, char **operands)
{
	char *bracket = strchr(rest, '[');
	char *words;

	if (bracket) {
		*operands = bracket;
		words = strndup(rest, (size_t)(bracket - rest));
	} else {
		*operands = rest + strlen(rest);
		words = strdup(rest);
	}
	if (!words)
		return no_memory(as);
	snprintf(name, name_len, "lock");
	for (char *save = NULL, *w = strtok_r(words, " \t,", &save); w;
	     w = strtok_r(NULL, " \t,", &save)) {
		size_t used = strlen(name);

		snprintf(name + used, name_len - used, " %s", w);
	}
	free(words);
	if (!strcmp(name, "lock"))
		return line_error(as, "Invalid number of operands for lock: write "
				  "lock [fetch] add|and|or|xor[32] [%%rD+off], %%rS or "
				  "lock xchg|cmpxchg[32] [%%rD+off], %%rS");
	return 0;
}

static int assemble_line(struct assembler *as, char *line)
{
	char name[64];
	char *ops[MAX_OPERANDS];
	size_t nr_ops, len;
	char *s = trim(line), *rest;
	const struct isa_mnemonic *m;
	int ret;

	/* leading `label:` (an instruction may follow on the same line) */
	len = strcspn(s, " \t");
	if (len && s[len - 1] == ':') {
		s[len - 1] = '\0';
		ret = define_label(as, s);
		if (ret)
			return ret;
		s = trim(s + len);
		if (!*s)
			return 0;
	}

	len = strcspn(s, " \t");
	rest = s + len;
	if (*rest)
		*rest++ = '\0';
	if (!strcmp(s, "lock")) {
		ret = split_lock(as, rest, name, sizeof(name), &rest);
		if (ret)
			return ret;
	} else {
		snprintf(name, sizeof(name), "%s", s);
	}
	ret = split_operands(as, rest, ops, &nr_ops);
	if (ret)
		return ret;
	if (!strcmp(name, ".insn"))
		return encode_raw(as, (const char *const *)ops, nr_ops);

	m = isa_mnemonic_by_name(name);
	if (!m)
		return line_error(as, "Invalid mnemonic `%s` (see docs/assembly.md for the list)", name);
	if (nr_ops != isa_form_operand_count(m->form)) {
		if (m->form == ISA_FORM_ATOMIC)
			return line_error(as, "Invalid number of operands for lock: `%s` takes 2 (%s), "
					  "got %zu", name, form_usage(m->form), nr_ops);
		return line_error(as, "Invalid number of operands: `%s` takes %u (%s), got %zu",
				  name, isa_form_operand_count(m->form), form_usage(m->form), nr_ops);
	}
	return encode(as, m, (const char *const *)ops);
}

static void assembler_free(struct assembler *as)
{
	for (size_t i = 0; i < as->nr_labels; i++)
		free(as->labels[i].name);
	for (size_t i = 0; i < as->nr_fixups; i++) {
		free(as->fixups[i].label);
		free(as->fixups[i].text);
	}
	free(as->labels);
	free(as->fixups);
	free(as->insns);
}

int uebpf_asm(const char *text, struct bpf_insn **insns, size_t *cnt,
	      struct uebpf_error *err)
{
	struct assembler as = { .err = err };
	const char *p = text;
	int ret = 0;

	if (!text || !insns || !cnt)
		return uebpf_err(err, -EINVAL, "uebpf_asm: text, insns and cnt must not be NULL");
	*insns = NULL;
	*cnt = 0;

	while (*p && !ret) {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);
		char *hash, *quoted = NULL;

		as.line++;
		p += len + (p[len] == '\n');
		if (line) {
			hash = strchr(line, '#');
			if (hash)
				*hash = '\0';
			quoted = strdup(trim(line));
		}
		if (!line || !quoted)
			ret = no_memory(&as);
		else if (*quoted) {
			as.text = quoted;
			ret = assemble_line(&as, line);
		}
		free(line);
		free(quoted);
	}
	if (!ret)
		ret = resolve_fixups(&as);
	if (!ret && !as.insns) {
		/* an empty program assembles; refusing it is the validator's job */
		as.insns = calloc(1, sizeof(*as.insns));
		if (!as.insns)
			ret = no_memory(&as);
	}
	if (ret) {
		assembler_free(&as);
		return ret;
	}
	*insns = as.insns;
	*cnt = as.cnt;
	as.insns = NULL;
	assembler_free(&as);
	return 0;
}
