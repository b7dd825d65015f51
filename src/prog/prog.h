/* SPDX-License-Identifier: MIT */
/*
 * The program object and the per-run context, shared by the engines
 * (src/interp, src/jit), the helpers and the verifier.
 */
#ifndef UEBPF_PROG_H
#define UEBPF_PROG_H

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
	/* Memory the program may always touch in checked mode (e.g. the value
	 * storage of the maps it uses); owned. */
	struct uebpf_region *static_regions;
	size_t nr_static_regions;
};

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

#endif /* UEBPF_PROG_H */
