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

/* Runs the sub-program at instruction `idx` as a callback of the running
 * program (run_ctx_call): r1..r5 = args, r10 = fp, at most `max_depth`
 * frames (its own included), sharing rc's budget. Same contract as
 * interp_call. */
int jit_call(const struct jit_image *image, struct uebpf_run_ctx *rc, size_t idx,
	     const uint64_t args[5], uint64_t fp, unsigned max_depth, uint64_t *ret,
	     struct uebpf_error *err);

/* For functions that call generated code: clang's -fsanitize=function
 * (part of -fsanitize=undefined) reads a type signature stored just before
 * the callee, which machine code has not got, and the bytes before an image
 * may not even be mapped. */
#if defined(__clang__)
#define JIT_CALLS_GENERATED_CODE __attribute__((no_sanitize("function")))
#else
#define JIT_CALLS_GENERATED_CODE
#endif

/* The lean entry of an unchecked image whose code needs nothing from the
 * host: no helper call (direct map calls aside: they need no run context),
 * no local call or callx, no legacy packet load, so no
 * run context, no state and no way to stop other than `exit`. It is called
 * as a plain C function with r1, r2 and r10 (the top of a UEBPF_STACK_SIZE
 * frame) and returns r0; uebpf_prog_run takes it for verified programs run
 * unchecked, skipping the run context that such code would never read. */
typedef uint64_t jit_lean_fn(uint64_t r1, uint64_t r2, uint64_t fp);

/* NULL when the image has no lean entry (checked code, or code that needs
 * the host). */
jit_lean_fn *jit_image_lean_entry(const struct jit_image *image);

/* Machine code and, per eBPF instruction, its offset in it (for
 * `uebpf disasm --jited`). */
const uint8_t *jit_image_code(const struct jit_image *image, size_t *len);
const uint32_t *jit_image_insn_offsets(const struct jit_image *image);

/* ---- additions by the JIT (see docs/jit.md) ---- */

struct jit_opts {
	bool checked;   /* as jit_compile's `checked` */
	/* Constant blinding: every immediate the program supplies is emitted
	 * XORed with a random per-image key and decoded at run time, so no
	 * program-chosen constant appears verbatim in executable memory. */
	bool blind;
	/* Only baseline x86-64 instructions, even where the CPU has more
	 * (BMI2 shlx/shrx/sarx for shifts by a register): for tests of both
	 * code paths. */
	bool baseline_isa;
};

/* jit_compile with options. */
int jit_compile_opts(const struct uebpf_prog *prog, const struct jit_opts *opts,
		     struct jit_image **out, struct uebpf_error *err);

/* The offsets array has insn_cnt + 1 entries: instruction i's code is
 * [off[i], off[i+1]) (empty for the second slot of a lddw), off[insn_cnt]
 * is the end of the last instruction's code. Code before off[0] is the
 * entry/exit sequence, code after off[insn_cnt] the out-of-line paths. */
size_t jit_image_insn_cnt(const struct jit_image *image);
bool jit_image_checked(const struct jit_image *image);

/* Text listing: each eBPF instruction (isa_format_insn) followed by its x86
 * code, plus the entry sequence and the out-of-line paths. `insns`/`cnt`
 * must be the program the image was compiled from. *text is malloc'd.
 * Returns -EOPNOTSUPP when built without capstone. */
int jit_image_disasm(const struct jit_image *image, const struct bpf_insn *insns,
		     size_t cnt, char **text, struct uebpf_error *err);

#endif
