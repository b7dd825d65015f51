/* SPDX-License-Identifier: MIT */
#ifndef UEBPF_INTERP_H
#define UEBPF_INTERP_H

#include "prog/prog.h"

/* Decodes prog->insns once into the interpreter's internal form
 * (stored in prog->interp). Called by uebpf_prog_load. */
int interp_prepare(struct uebpf_prog *prog, struct uebpf_error *err);
void interp_image_free(struct interp_image *image);

/* Runs the program with r1, r2 as given and the stack/regions in `rc`.
 * `checked` enables bounds checks on every load/store, runtime jump/callx
 * checks and the instruction budget. Returns 0 and r0 in *ret, or a
 * negative errno and a message naming the instruction. */
int interp_run(const struct uebpf_prog *prog, struct uebpf_run_ctx *rc,
	       bool checked, uint64_t r1, uint64_t r2, uint64_t *ret,
	       struct uebpf_error *err);

#endif
