/* SPDX-License-Identifier: MIT */
#ifndef UEBPF_JIT_H
#define UEBPF_JIT_H

#include "prog/prog.h"

/* Compiles the program to x86-64 machine code. `checked` emits the same
 * bounds checks, budget and callx checks as the checked interpreter (required
 * unless prog->verified). The result is owned by the program. */
int jit_compile(const struct uebpf_prog *prog, bool checked,
		struct jit_image **out, struct uebpf_error *err);
void jit_image_free(struct jit_image *image);

/* Runs compiled code; same contract as interp_run. */
int jit_run(const struct jit_image *image, struct uebpf_run_ctx *rc,
	    uint64_t r1, uint64_t r2, uint64_t *ret, struct uebpf_error *err);

/* Machine code and, per eBPF instruction, its offset in it (for
 * `uebpf disasm --jited`). */
const uint8_t *jit_image_code(const struct jit_image *image, size_t *len);
const uint32_t *jit_image_insn_offsets(const struct jit_image *image);

#endif
