/* SPDX-License-Identifier: MIT */
/*
 * Listing of JIT code for `uebpf disasm --jited`: each eBPF instruction
 * followed by the x86-64 instructions it became (decoded with capstone),
 * with the jump tables the code holds inline shown as data.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "jit/jit_internal.h"

#ifdef UEBPF_HAVE_CAPSTONE
#include <capstone/capstone.h>

struct text {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->oom)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if (t->p && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		size_t cap = t->cap ? t->cap * 2 : 4096;
		while (cap < t->len + (size_t)n + 1)
			cap *= 2;
		char *p = realloc(t->p, cap);

		if (!p) {
			t->oom = true;
			return;
		}
		t->p = p;
		t->cap = cap;
	}
}

static void put_x86(struct text *t, csh cs, const uint8_t *code, size_t from, size_t to)
{
	cs_insn *x = NULL;
	size_t n, k, end = from;

	if (to <= from)
		return;
	n = cs_disasm(cs, code + from, to - from, from, 0, &x);
	for (k = 0; k < n; k++) {
		put(t, "    %5llx:  %-8s %s\n", (unsigned long long)x[k].address, x[k].mnemonic,
		    x[k].op_str);
		end = (size_t)x[k].address + x[k].size;
	}
	if (n)
		cs_free(x, n);
	if (end < to)
		put(t, "    (%zu bytes capstone could not decode)\n", to - end);
}

/* The instruction whose code starts at `off`: the one that is not empty
 * there (a lddw's second slot or a fused instruction's second half is empty
 * at the start of what follows); -1 when no instruction starts there. */
static int64_t insn_at(const struct jit_image *image, uint64_t off)
{
	size_t lo = 0, hi = image->insn_cnt;

	while (lo < hi) {   /* the first i with insn_off[i] >= off */
		size_t mid = lo + (hi - lo) / 2;

		if (image->insn_off[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= image->insn_cnt || image->insn_off[lo] != off)
		return -1;
	for (size_t i = lo; i < image->insn_cnt && image->insn_off[i] == off; i++)
		if (image->insn_off[i + 1] > off)
			return (int64_t)i;
	return (int64_t)lo;
}

/* Where a table entry jumps: the instruction whose code starts there, or
 * the bare offset (no entry should need it). */
static void format_target(char *buf, size_t size, const struct jit_image *image, uint64_t target)
{
	int64_t insn = insn_at(image, target);

	if (insn >= 0)
		snprintf(buf, size, "insn %lld", (long long)insn);
	else
		snprintf(buf, size, "0x%llx", (unsigned long long)target);
}

static uint64_t table_target(const struct jit_image *image, const struct jit_jump_table *tab,
			     uint32_t v)
{
	uint64_t end = (uint64_t)tab->off + 4 * (uint64_t)v + 4;
	int32_t rel;

	memcpy(&rel, image->code + end - 4, sizeof(rel));
	return end + (uint64_t)(int64_t)rel;
}

#define TABLE_LINE_WIDTH 100

/* One line naming the table, then its entries as runs of values that jump
 * to the same place, as many runs per line as fit: a 64-entry switch reads
 * in a dozen lines. */
static void put_table(struct text *t, const struct jit_image *image,
		      const struct jit_jump_table *tab)
{
	static const char indent[] = "            ";   /* under the mnemonics */
	size_t width = 0;
	uint32_t v = 0;

	put(t, "    %5x:  .table %u x rel32\n", tab->off, tab->entries);
	while (v < tab->entries) {
		uint32_t first = v;
		uint64_t target = table_target(image, tab, v);
		char where[48], run[96];
		int n;

		while (++v < tab->entries && table_target(image, tab, v) == target)
			;
		format_target(where, sizeof(where), image, target);
		if (v - first == 1)
			n = snprintf(run, sizeof(run), "%u -> %s", first, where);
		else
			n = snprintf(run, sizeof(run), "%u..%u -> %s", first, v - 1, where);
		if (width && width + 2 + (size_t)n > TABLE_LINE_WIDTH) {
			put(t, ",\n");
			width = 0;
		}
		if (width) {
			put(t, ", %s", run);
			width += 2 + (size_t)n;
		} else {
			put(t, "%s%s", indent, run);
			width = sizeof(indent) - 1 + (size_t)n;
		}
	}
	if (width)
		put(t, "\n");
}

/* The code in [from, to): instructions, except where a table sits. */
static void put_code(struct text *t, csh cs, const struct jit_image *image, size_t from,
		     size_t to)
{
	for (size_t k = 0; k < image->nr_tables && from < to; k++) {
		const struct jit_jump_table *tab = &image->tables[k];
		size_t end = (size_t)tab->off + 4 * (size_t)tab->entries;

		if (end <= from || tab->off >= to)
			continue;
		put_x86(t, cs, image->code, from, tab->off);
		put_table(t, image, tab);
		from = end;
	}
	put_x86(t, cs, image->code, from, to);
}

int jit_image_disasm(const struct jit_image *image, const struct bpf_insn *insns,
		     size_t cnt, char **text, struct uebpf_error *err)
{
	struct text t = { 0 };
	csh cs;
	size_t i;

	if (!image || !insns || !text)
		return uebpf_err(err, -EINVAL, "jit_image_disasm: image, insns and text must not be NULL");
	if (cnt != image->insn_cnt)
		return uebpf_err(err, -EINVAL,
				 "jit_image_disasm: the image was compiled from %zu instructions, not %zu",
				 image->insn_cnt, cnt);
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
		return uebpf_err(err, -ENOMEM, "jit_image_disasm: capstone cannot open x86-64");

	put(&t, "; %s JIT code, %zu bytes%s\n", image->checked ? "checked" : "unchecked",
	    image->code_len, image->blinded ? ", constants blinded" : "");
	put(&t, "; entry and exit\n");
	put_code(&t, cs, image, 0, image->insn_off[0]);
	for (i = 0; i < cnt; i++) {
		char line[128];

		if (i > 0 && isa_is_lddw(&insns[i - 1]))
			continue;
		isa_format_insn(insns, cnt, i, line, sizeof(line));
		put(&t, "%5zu: %s\n", i, line);
		put_code(&t, cs, image, image->insn_off[i], image->insn_off[i + 1]);
	}
	if (image->code_len > image->insn_off[cnt]) {
		put(&t, "; out-of-line paths\n");
		put_code(&t, cs, image, image->insn_off[cnt], image->code_len);
	}
	cs_close(&cs);
	if (t.oom) {
		free(t.p);
		return uebpf_err(err, -ENOMEM, "jit_image_disasm: out of memory");
	}
	*text = t.p;
	return 0;
}

#else

int jit_image_disasm(const struct jit_image *image, const struct bpf_insn *insns,
		     size_t cnt, char **text, struct uebpf_error *err)
{
	(void)image;
	(void)insns;
	(void)cnt;
	(void)text;
	return uebpf_err(err, -EOPNOTSUPP,
			 "JIT disassembly needs capstone: install libcapstone-dev and rebuild");
}

#endif
