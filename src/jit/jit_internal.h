/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the JIT share: the image, the per-run state the machine
 * code reads through r12, and the status codes the code returns.
 */
#ifndef UEBPF_JIT_INTERNAL_H
#define UEBPF_JIT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "jit/jit.h"

/*
 * Per-run state, built by jit_run (and jit_call) on its own stack; the generated code
 * keeps its address in r12 (callee-saved, so helpers preserve it). The
 * fields the hot paths read come first so their displacements fit in a byte.
 *
 * Bounds are stored as [lo, last_k] with last_k = hi - size_k for the access
 * sizes 1, 2, 4, 8 (k = 0..3): an access of size_k at addr is inside when
 * lo <= addr <= last_k, two compares and no addition that could wrap. An
 * empty or too small region is stored as lo = 1, last = 0, which nothing
 * satisfies.
 */
struct jit_state {
	uint64_t stack_lo;                /* 0 */
	uint64_t stack_last[4];           /* 8 */
	uint64_t mem_lo;                  /* 40 */
	uint64_t mem_last[4];             /* 48: loads */
	uint64_t memw_lo;                 /* 80 */
	uint64_t memw_last[4];            /* 88: stores (empty when read-only) */
	int64_t budget;                   /* 120: instructions left (checked); the
					   code keeps it in r9 and stores it here
					   around calls into C and when it stops */
	struct uebpf_run_ctx *rc;         /* 128 */
	uint64_t saved_rsp;               /* native stack pointer at entry */
	uint64_t fault_insn;              /* set by the code before it stops */
	uint64_t fault_addr;              /* access faults: the address; callx: the id */
	uint64_t fault_info;              /* access faults: size | write << 8 */
	uint32_t depth;                   /* frames in use beyond the entry one; a
					   callback starts at MAX - its frames */
	uint32_t pad;
	uint64_t args[5];                 /* entry r1..r5 (the main entry reads r1, r2) */
	uint64_t fp;                      /* entry r10 */
	uint64_t target;                  /* callback entry: the code address to call */
	uint64_t r0;                      /* r0 at a normal exit */
	const uint8_t *pkt_data;          /* legacy packet loads */
	uint64_t pkt_len;
	const struct uebpf_helper_set *helpers; /* callx */
	const struct jit_image *image;
	/* The region the slow path last found an access in (loads; stores
	 * only when it is writable), tested inline after the stack and the
	 * input, so a loop over a packet or a map value pays the call once.
	 * Only regions fixed for the whole run qualify: the run options' and
	 * the program's static regions, never helper grants. Empty (lo = 1,
	 * last = 0) until the slow path fills it. */
	uint64_t hot_lo;
	uint64_t hot_last[4];
	uint64_t hotw_lo;
	uint64_t hotw_last[4];
};

/* What the generated function returns (negative values are errors). */
enum jit_status {
	JIT_STATUS_EXIT = 0,          /* normal exit, r0 in state->r0 */
	JIT_STATUS_EXIT_REQUESTED = 1,/* a helper called uebpf_run_ctx_exit */
	JIT_STATUS_PKT_OUT = 2,       /* ld_abs/ld_ind out of range: r0 = 0 */
	JIT_STATUS_FAULT_ACCESS = -1, /* fault_addr/fault_info describe it */
	JIT_STATUS_FAULT_MISALIGNED = -2,
	JIT_STATUS_FAULT_BUDGET = -3,
	JIT_STATUS_FAULT_DEPTH = -4,
	JIT_STATUS_FAULT_CALLX = -5,
};

typedef int jit_entry_fn(struct jit_state *state);

/* A block of executable memory holding one image (jit_exec_mem.c). */
struct jit_exec_mem {
	uint8_t *code;                    /* read + execute */
	size_t len;
	struct jit_exec_chunk *chunk;     /* where it lives */
};

/* Copies `len` bytes of code into executable memory (W^X: never through
 * an executable mapping). */
int jit_exec_alloc(const uint8_t *bytes, size_t len, struct jit_exec_mem *out,
		   struct uebpf_error *err);
void jit_exec_free(struct jit_exec_mem *mem);

/* Data the code holds inline: a switch tree's jump table (jit_idiom.h),
 * `entries` rel32 at `off`, each relative to its own end. Kept so the
 * listing can show the bytes as a table instead of decoding them as
 * instructions. */
struct jit_jump_table {
	uint32_t off;
	uint32_t entries;
};

struct jit_image {
	uint8_t *code;                    /* read + execute (mem.code) */
	size_t code_len;                  /* bytes of machine code */
	struct jit_exec_mem mem;
	uint32_t *insn_off;               /* [insn_cnt + 1]; see jit_image_insn_offsets */
	size_t insn_cnt;
	uint32_t body_off;                /* where instruction 0's code starts */
	uint32_t stubs_off;               /* where the out-of-line paths start */
	uint32_t callback_off;            /* the callback entry (jit_call) */
	uint8_t *is_func_entry;           /* [insn_cnt]: sub-program entries */
	jit_lean_fn *lean;                /* see jit_lean_fn; NULL when the code has none */
	struct jit_jump_table *tables;    /* [nr_tables], by offset; NULL when none */
	size_t nr_tables;
	bool checked;
	bool blinded;
	const struct uebpf_prog *prog;    /* for messages */
};

/* The result of translation, before it is placed in executable memory. */
struct jit_code {
	uint8_t *bytes;                   /* malloc'd */
	size_t len;
	uint32_t *insn_off;               /* malloc'd, [cnt + 1] */
	uint32_t body_off;
	uint32_t stubs_off;
	uint32_t callback_off;
	uint32_t lean_off;                /* the lean entry, when has_lean */
	bool has_lean;
	uint8_t *is_func_entry;           /* malloc'd, [cnt]: callx may land there */
	struct jit_jump_table *tables;    /* malloc'd, [nr_tables], by offset */
	size_t nr_tables;
};

/* Translates prog->insns into machine code (jit_translate.c). */
int jit_translate(const struct uebpf_prog *prog, const struct jit_opts *opts,
		  struct jit_code *out, struct uebpf_error *err);
void jit_code_release(struct jit_code *code);

/* Called by the generated code (jit_runtime.c). */
struct jit_callx_target {
	uint64_t addr;                    /* helper function or code address; 0: none */
	uint64_t is_local;                /* 1: a sub-program entry */
};
struct jit_callx_target jit_callx_resolve(struct jit_state *state, uint64_t value);
bool jit_access_slow(struct jit_state *state, uint64_t addr, uint32_t size_write);

/* Stores [lo, hi) as lo and the last valid start address per access size
 * (see struct jit_state). The inline test is only a shortcut before
 * run_ctx_access_ok, so anything it cannot express (no memory, memory at
 * address 0, a region smaller than the access) is stored as a range nothing
 * fits: last < lo. */
static inline void jit_state_set_bounds(uint64_t *lo_out, uint64_t last_out[4], uint64_t lo,
					uint64_t hi, bool usable)
{
	static const unsigned sizes[4] = { 1, 2, 4, 8 };

	if (!usable || lo == 0 || hi <= lo) {
		*lo_out = 1;
		for (unsigned k = 0; k < 4; k++)
			last_out[k] = 0;
		return;
	}
	*lo_out = lo;
	for (unsigned k = 0; k < 4; k++)
		last_out[k] = hi - lo >= sizes[k] ? hi - sizes[k] : lo - 1;
}


#endif
