/* SPDX-License-Identifier: MIT */
/* Reader for eBPF conformance vectors (`.data` files): sections `-- asm`,
 * `-- raw`, `-- mem`, `-- result`, `-- error`. */
#ifndef UEBPF_VECTOR_H
#define UEBPF_VECTOR_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

struct uebpf_vector {
	char *asm_text;            /* NULL when there is no asm section */
	struct bpf_insn *raw;      /* NULL when there is no raw section */
	size_t raw_cnt;
	unsigned char *mem;        /* NULL when there is no mem section */
	size_t mem_len;
	bool has_result;
	uint64_t result;
	bool has_error;            /* an `error` section: the program must be refused */
	char *error_text;          /* its text, "" when empty */
	char *unknown_section;     /* first unknown section name, NULL if none */
};

/* Parses the text of a .data file. Free with uebpf_vector_free. */
int uebpf_vector_parse(const char *text, struct uebpf_vector *v,
		       struct uebpf_error *err);
void uebpf_vector_free(struct uebpf_vector *v);

#ifdef __cplusplus
}
#endif
#endif
