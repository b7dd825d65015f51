/* SPDX-License-Identifier: MIT */
/* Reader for conformance vectors (.data files); the format is described in
 * the README beside the vectors and in docs/assembly.md. */
#include "uebpf/vector.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "isa/isa.h"
#include "isa/mnemonics.h"

enum section {
	SEC_NONE,      /* before the first `-- name` line */
	SEC_ASM,
	SEC_RAW,
	SEC_MEM,
	SEC_RESULT,
	SEC_ERROR,
	SEC_IGNORED,   /* c, no register offset, unknown names */
};

struct text {
	char *s;
	size_t len, cap;
};

struct reader {
	struct uebpf_vector *v;
	struct text asm_text, error_text;
	size_t raw_cap, mem_cap;
	enum section section;
	int line;
	struct uebpf_error *err;
};

static int vec_error(struct reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int vec_error(struct reader *r, const char *fmt, ...)
{
	char why[UEBPF_ERRMSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return uebpf_err(r->err, -EINVAL, "vector line %d: %s", r->line, why);
}

static int no_memory(struct reader *r)
{
	return uebpf_err(r->err, -ENOMEM, "vector line %d: out of memory", r->line);
}

static bool text_append(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		char *p;

		while (cap < t->len + n + 1)
			cap *= 2;
		p = realloc(t->s, cap);
		if (!p)
			return false;
		t->s = p;
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, n);
	t->len += n;
	t->s[t->len] = '\0';
	return true;
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

static bool parse_hex(const char *s, uint64_t *value)
{
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*value = strtoull(s, &end, 16);
	return errno == 0 && *end == '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A byte written as two hex digits, e.g. `a0`. */
static bool parse_byte(const char *s, uint8_t *byte)
{
	int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);

	if (hi < 0 || lo < 0 || s[2])
		return false;
	*byte = (uint8_t)(hi << 4 | lo);
	return true;
}

static int start_section(struct reader *r, const char *name)
{
	struct uebpf_vector *v = r->v;

	if (!strcmp(name, "asm")) {
		r->section = SEC_ASM;
		/* present even when empty: "there is an asm section" */
		if (!r->asm_text.s && !text_append(&r->asm_text, "", 0))
			return no_memory(r);
	} else if (!strcmp(name, "raw")) {
		r->section = SEC_RAW;
		if (!v->raw) {
			v->raw = calloc(1, sizeof(*v->raw));
			r->raw_cap = 1;
			if (!v->raw)
				return no_memory(r);
		}
	} else if (!strcmp(name, "mem")) {
		r->section = SEC_MEM;
		if (!v->mem) {
			v->mem = calloc(1, 1);
			r->mem_cap = 1;
			if (!v->mem)
				return no_memory(r);
		}
	} else if (!strcmp(name, "result")) {
		r->section = SEC_RESULT;
	} else if (!strcmp(name, "error")) {
		r->section = SEC_ERROR;
		v->has_error = true;
		if (!r->error_text.s && !text_append(&r->error_text, "", 0))
			return no_memory(r);
	} else if (!strcmp(name, "c") || !strcmp(name, "no register offset")) {
		r->section = SEC_IGNORED;
	} else {
		r->section = SEC_IGNORED;
		if (!v->unknown_section) {
			v->unknown_section = strdup(name);
			if (!v->unknown_section)
				return no_memory(r);
		}
	}
	return 0;
}

static int add_raw(struct reader *r, uint64_t word)
{
	struct uebpf_vector *v = r->v;

	if (v->raw_cnt == r->raw_cap) {
		struct bpf_insn *p = realloc(v->raw, 2 * r->raw_cap * sizeof(*p));

		if (!p)
			return no_memory(r);
		v->raw = p;
		r->raw_cap *= 2;
	}
	v->raw[v->raw_cnt++] = isa_insn_from_word(word);
	return 0;
}

/* `0x5566778800000018` (one little-endian word) or `18 00 00 00 88 77 66 55`. */
static int raw_line(struct reader *r, char *line)
{
	char *tokens[9], *save = NULL;
	size_t n = 0;
	uint64_t word = 0;

	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		if (n == 9)
			break;
		tokens[n++] = t;
	}
	if (n == 1) {
		if (!parse_hex(tokens[0], &word))
			return vec_error(r, "raw: `%s` is not a 64-bit hex word like 0x0000000000000095",
					 tokens[0]);
		return add_raw(r, word);
	}
	if (n != 8)
		return vec_error(r, "raw: expected one 64-bit word or 8 hex bytes per line, got %zu "
				 "items", n);
	for (size_t i = 0; i < 8; i++) {
		uint8_t byte;

		if (!parse_byte(tokens[i], &byte))
			return vec_error(r, "raw: `%s` is not a hex byte like 0a", tokens[i]);
		word |= (uint64_t)byte << (8 * i);
	}
	return add_raw(r, word);
}

static int mem_line(struct reader *r, char *line)
{
	struct uebpf_vector *v = r->v;
	char *save = NULL;

	for (char *t = strtok_r(line, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
		uint8_t byte;

		if (!parse_byte(t, &byte))
			return vec_error(r, "mem: `%s` is not a hex byte like 0a", t);
		if (v->mem_len == r->mem_cap) {
			unsigned char *p = realloc(v->mem, 2 * r->mem_cap);

			if (!p)
				return no_memory(r);
			v->mem = p;
			r->mem_cap *= 2;
		}
		v->mem[v->mem_len++] = byte;
	}
	return 0;
}

static int result_line(struct reader *r, const char *line)
{
	if (r->v->has_result)
		return vec_error(r, "result: a second value `%s`; a vector has one result", line);
	if (!parse_hex(line, &r->v->result))
		return vec_error(r, "result: `%s` is not a hex number like 0x2a", line);
	r->v->has_result = true;
	return 0;
}

static int content_line(struct reader *r, char *raw_line_text, size_t len)
{
	char *line;

	if (r->section == SEC_ASM) {
		/* verbatim, so the assembler's line numbers count section lines */
		if (!text_append(&r->asm_text, raw_line_text, len) ||
		    !text_append(&r->asm_text, "\n", 1))
			return no_memory(r);
		return 0;
	}
	line = trim(raw_line_text);
	if (r->section == SEC_IGNORED || !*line || *line == '#')
		return 0;
	switch (r->section) {
	case SEC_NONE:
		return vec_error(r, "`%s` is outside any section; start one with `-- asm`, `-- raw`, "
				 "`-- mem`, `-- result` or `-- error`", line);
	case SEC_RAW:
		return raw_line(r, line);
	case SEC_MEM:
		return mem_line(r, line);
	case SEC_RESULT:
		return result_line(r, line);
	case SEC_ERROR:
		if ((r->error_text.len && !text_append(&r->error_text, "\n", 1)) ||
		    !text_append(&r->error_text, line, strlen(line)))
			return no_memory(r);
		return 0;
	default:
		return 0;
	}
}

int uebpf_vector_parse(const char *text, struct uebpf_vector *v,
		       struct uebpf_error *err)
{
	struct reader r = { .v = v, .err = err };
	const char *p = text;
	int ret = 0;

	if (!text || !v)
		return uebpf_err(err, -EINVAL, "uebpf_vector_parse: text and v must not be NULL");
	memset(v, 0, sizeof(*v));

	while (*p && !ret) {
		size_t len = strcspn(p, "\n");
		char *line = strndup(p, len);

		r.line++;
		p += len + (p[len] == '\n');
		if (!line) {
			ret = no_memory(&r);
			break;
		}
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		if (!strncmp(line, "--", 2))
			ret = start_section(&r, trim(line + 2));
		else
			ret = content_line(&r, line, len);
		free(line);
	}
	v->asm_text = r.asm_text.s;
	v->error_text = r.error_text.s;
	if (ret)
		uebpf_vector_free(v);
	return ret;
}

void uebpf_vector_free(struct uebpf_vector *v)
{
	if (!v)
		return;
	free(v->asm_text);
	free(v->raw);
	free(v->mem);
	free(v->error_text);
	free(v->unknown_section);
	memset(v, 0, sizeof(*v));
}
