/* SPDX-License-Identifier: MIT */
/*
 * Listing of JIT code for `uebpf disasm --jited`: each eBPF instruction
 * followed by the x86-64 instructions it became (decoded with capstone).
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
	put_x86(&t, cs, image->code, 0, image->insn_off[0]);
	for (i = 0; i < cnt; i++) {
		char line[128];

		if (i > 0 && isa_is_lddw(&insns[i - 1]))
			continue;
		isa_format_insn(insns, cnt, i, line, sizeof(line));
		put(&t, "%5zu: %s\n", i, line);
		put_x86(&t, cs, image->code, image->insn_off[i], image->insn_off[i + 1]);
	}
	if (image->code_len > image->insn_off[cnt]) {
		put(&t, "; out-of-line paths\n");
		put_x86(&t, cs, image->code, image->insn_off[cnt], image->code_len);
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
