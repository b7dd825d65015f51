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

/* True when instruction `idx` starts a sub-program (a local call or
 * lddw src=4 target): the only places callbacks may enter. */
bool interp_is_func_entry(const struct uebpf_prog *prog, size_t idx);

/* Runs the sub-program at instruction `idx` as a callback of the running
 * program (run_ctx_call): r1..r5 = args, r10 = fp, at most `max_depth`
 * frames (its own included), sharing rc's budget. Same results as
 * interp_run. */
int interp_call(const struct uebpf_prog *prog, struct uebpf_run_ctx *rc, bool checked,
		size_t idx, const uint64_t args[5], uint64_t fp, unsigned max_depth,
		uint64_t *ret, struct uebpf_error *err);

#endif
