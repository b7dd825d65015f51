/* SPDX-License-Identifier: MIT */
/*
 * The program object and the per-run context, shared by the engines
 * (src/interp, src/jit), the helpers and the verifier.
 */
#ifndef UEBPF_PROG_H
#define UEBPF_PROG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "uebpf/uebpf.h"

struct interp_image;   /* src/interp: decoded, direct-threaded form */
struct jit_image;      /* src/jit: machine code */

struct uebpf_prog {
	char *name;
	struct bpf_insn *insns;          /* owned copy */
	size_t insn_cnt;
	const struct uebpf_helper_set *helpers; /* borrowed, may be NULL */
	bool verified;                   /* set by the verifier only */
	struct interp_image *interp;     /* owned; built at load */
	struct jit_image *jit;           /* owned; built on first JIT run or by the verifier */
	/* JIT images are built lazily by uebpf_prog_run (src/prog/run.c), at
	 * most once each: `jit` above is the unchecked image (verified programs
	 * only), `jit_checked` the one with runtime checks. A failed compile is
	 * remembered (jit_status, jit_errmsg) so it is not retried every run.
	 * Readers load the image pointers with __atomic_load_n(ACQUIRE). */
	struct jit_image *jit_checked;   /* owned */
	pthread_mutex_t jit_lock;
	int jit_status[2];               /* [checked]: 0 or the compile error */
	char *jit_errmsg[2];             /* [checked]: owned, NULL when none */
	/* Memory the program may always touch in checked mode (e.g. the value
	 * storage of the maps it uses); owned. */
	struct uebpf_region *static_regions;
	size_t nr_static_regions;
	/* Set by the verifier together with `verified` (src/verifier): the
	 * program type it was proven safe for and, for UEBPF_PROG_TYPE_RAW, the
	 * exact input size it was proven for (r1 = buffer, r2 = this length):
	 * unchecked runs must pass a buffer of exactly this many bytes. */
	uint32_t verified_prog_type;
	size_t verified_mem_size;
};

/* Code addresses (lddw src=4, BPF_PSEUDO_FUNC): the value a program holds
 * for "the sub-program starting at instruction idx" is
 * PROG_CODE_ADDR_TAG | idx. It is engine-independent (both engines and the
 * helpers that take callbacks, e.g. bpf_loop, map it back to an instruction
 * index) and cannot be confused with a host pointer or a small scalar. Only
 * indexes that are sub-program entries (targets of a local call or of a
 * lddw src=4) are honoured; see prog_code_addr_index(). */
#define PROG_CODE_ADDR_TAG 0xc0de000000000000ull
#define PROG_CODE_ADDR_TAG_MASK 0xffffffff00000000ull

static inline uint64_t prog_code_addr(size_t insn_idx)
{
	return PROG_CODE_ADDR_TAG | (uint64_t)insn_idx;
}

/* True (and the instruction index in *idx) when `value` is a code address
 * inside the program; the caller still checks it is a sub-program entry. */
static inline bool prog_code_addr_index(const struct uebpf_prog *prog,
					uint64_t value, size_t *idx)
{
	if ((value & PROG_CODE_ADDR_TAG_MASK) != PROG_CODE_ADDR_TAG)
		return false;
	if ((value & ~PROG_CODE_ADDR_TAG_MASK) >= prog->insn_cnt)
		return false;
	*idx = (size_t)(value & ~PROG_CODE_ADDR_TAG_MASK);
	return true;
}

#define RUN_CTX_MAX_GRANTS 16

struct uebpf_run_ctx {
	const struct uebpf_prog *prog;
	void *user;

	/* A helper asked the program to stop (uebpf_run_ctx_exit). */
	bool exit_requested;
	uint64_t exit_value;

	/* Checked mode: what the program may touch. */
	uintptr_t stack_lo, stack_hi;    /* all frames */
	uintptr_t mem_lo, mem_hi;        /* input memory, empty when none */
	bool mem_writable;
	const struct uebpf_region *regions;   /* from uebpf_run_opts */
	size_t nr_regions;
	struct uebpf_region grants[RUN_CTX_MAX_GRANTS]; /* from helpers at run time */
	size_t nr_grants;
	uint64_t budget_left;            /* instructions left in checked mode */

	/* What the legacy packet loads (ld_abs/ld_ind) read: the input memory
	 * for raw runs, the packet for socket/tc hooks. Out of range ends the
	 * program with r0 = 0, as in the kernel. */
	const uint8_t *pkt_data;
	size_t pkt_len;

	/* Filled by an engine that stops the program. */
	size_t fault_insn;
};

/* True when [addr, addr+size) lies inside one region the program may access
 * (with write permission when `write`). Used by checked engines on every load
 * and store that is not provably inside the stack. */
bool run_ctx_access_ok(const struct uebpf_run_ctx *rc, uint64_t addr,
		       uint32_t size, bool write);

/* Public counterpart for helpers that hand the program memory (e.g. a
 * ring buffer reservation); declared here until it is in the public API. */
int run_ctx_grant(struct uebpf_run_ctx *rc, void *addr, size_t len, bool writable);

/* Messages shared by the checked engines so both report a violation the same
 * way: the instruction (index and disassembly), what was accessed, and the
 * regions that exist. They set rc->fault_insn and return the error code
 * (-EFAULT, -E2BIG). */
int run_ctx_fault_access(struct uebpf_run_ctx *rc, struct uebpf_error *err,
			 size_t insn, uint64_t addr, uint32_t size, bool write);
int run_ctx_fault_budget(struct uebpf_run_ctx *rc, struct uebpf_error *err,
			 size_t insn, uint64_t budget);
/* Any other violation: "program 'P' insn N (text): <what>". */
int run_ctx_fault(struct uebpf_run_ctx *rc, struct uebpf_error *err, int code,
		  size_t insn, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The other ways a checked engine stops a program, worded once. */
int run_ctx_fault_misaligned(struct uebpf_run_ctx *rc, struct uebpf_error *err,
			     size_t insn, uint64_t addr, uint32_t size);
int run_ctx_fault_depth(struct uebpf_run_ctx *rc, struct uebpf_error *err, size_t insn);
int run_ctx_fault_callx(struct uebpf_run_ctx *rc, struct uebpf_error *err, size_t insn,
			uint64_t target);

/* uebpf_prog_run with the legacy packet loads (ld_abs/ld_ind) reading
 * `pkt_data`/`pkt_len` instead of the input memory: for hooks whose context
 * is not the packet itself (socket filters, tc). */
int prog_run_with_packet(const struct uebpf_prog *prog,
			 const struct uebpf_run_opts *opts,
			 const void *pkt_data, size_t pkt_len,
			 uint64_t *retval, struct uebpf_error *err);

#endif /* UEBPF_PROG_H */
