/* SPDX-License-Identifier: MIT */
/* Text assembler and disassembler for the syntax of the eBPF conformance
 * vectors (`mov %r0, 1`, `ldxdw %r0, [%r1+8]`, `lock fetch add [%r10-8], %r1`,
 * labels, `call N`, `call %rN`, `call local LABEL`). */
#ifndef UEBPF_ASM_H
#define UEBPF_ASM_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Assembles `text`. On success *insns is a malloc'd array of *cnt
 * instructions (free() it). Errors name the line and what is wrong. */
int uebpf_asm(const char *text, struct bpf_insn **insns, size_t *cnt,
	      struct uebpf_error *err);

/* Disassembles `cnt` instructions into a malloc'd string (free() it), one
 * instruction per line, with labels for jump and call targets, in a form
 * that uebpf_asm turns back into the same bytes. */
int uebpf_disasm(const struct bpf_insn *insns, size_t cnt, char **text,
		 struct uebpf_error *err);

#ifdef __cplusplus
}
#endif
#endif
