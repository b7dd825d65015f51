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
struct uebpf_env;      /* <uebpf/helpers.h> */
struct pkt_xdp_buff;   /* src/helpers/pkt_ctx.h */
struct pkt_redirect;   /* src/helpers/pkt_ctx.h */
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
	/* The lean entry of `jit` (jit_image_lean_entry), published after it:
	 * uebpf_prog_run's fast path for code that needs no run context. */
	uint64_t (*jit_lean)(uint64_t r1, uint64_t r2, uint64_t fp);
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
	/* The maps `lddw` map references index (uebpf_prog_opts.maps);
	 * borrowed. Helpers taking a map accept only these (and inner maps a
	 * lookup handed out during the run) in checked mode. */
	struct uebpf_map *const *maps;
	size_t nr_maps;
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
	size_t nr_grants;                /* grants[] (at the end) in use */
	uint64_t budget_left;            /* instructions left in checked mode */
	uint64_t budget_total;           /* the run's whole budget, for messages */

	/* What the legacy packet loads (ld_abs/ld_ind) read: the input memory
	 * for raw runs, the packet for socket/tc hooks. Out of range ends the
	 * program with r0 = 0, as in the kernel. */
	const uint8_t *pkt_data;
	size_t pkt_len;

	/* Filled by an engine that stops the program. */
	size_t fault_insn;

	/* ---- helper support (src/helpers); see docs/helpers.md ---- */
	bool checked;                    /* the run has runtime checks */
	struct uebpf_error *err;         /* the run's message, for run_ctx_fail */
	/* Set by run_ctx_fail: the run ends with this error once the engine
	 * stops (the helper also requests an exit). */
	int pending_error;
	/* Engines publish these before every helper call, so a helper that
	 * calls back into the program (run_ctx_call) places the callback's
	 * frame below the caller's and shares the instruction budget:
	 * cur_fp is r10 of the calling frame (0: the entry frame). Checked
	 * engines also store their remaining budget in budget_left before the
	 * call and reload it after. */
	uint64_t cur_fp;
	/* Which engine runs the program; run_ctx_call dispatches on it. */
	uint8_t engine;                  /* enum run_ctx_engine */
	/* Tail calls (bpf_tail_call): the helper stores the target and
	 * requests an exit; uebpf_prog_run then starts the target. */
	const struct uebpf_prog *tail_target;
	uint64_t tail_ctx;               /* r1 for the target */
	uint32_t tail_call_cnt;
	/* The run's environment (uebpf_run_opts.env, <uebpf/helpers.h>):
	 * trace sink, timers, random seed; NULL when none. */
	struct uebpf_env *env;
	/* From the hook running the program (prog_run_extra). */
	struct pkt_xdp_buff *xdp;        /* XDP packet (src/helpers/pkt_ctx.h) */
	struct pkt_redirect *redirect;   /* where bpf_redirect* records its target */
	uint64_t func_ip;                /* bpf_get_func_ip */
	uint64_t attach_cookie;          /* bpf_get_attach_cookie */
	size_t nr_inner_maps;            /* inner_maps[] in use */
	size_t nr_ringbuf_pending;       /* ringbuf_pending[] in use */
	/* The bpf_spin_lock the program holds, released when it ends. */
	uint32_t *lock_held;
	/* bpf_get_prandom_u32 state for runs without an environment seed. */
	uint64_t prandom_state;
	/* The JIT image running the program (set by jit_run), so that
	 * run_ctx_call runs callbacks in it. */
	const struct jit_image *jit_image;

	/* ---- The arrays: a run clears everything above (RUN_CTX_CLEARED_SIZE)
	 * and only the counts of these, as nothing reads past nr_*: clearing
	 * ~700 bytes on every run would cost more than many programs. Keep new
	 * fields above this line. ---- */
	/* Memory helpers granted at run time (run_ctx_grant). */
	struct uebpf_region grants[RUN_CTX_MAX_GRANTS];
	/* Inner maps handed out by map-in-map lookups during the run. */
	struct uebpf_map *inner_maps[RUN_CTX_MAX_GRANTS];
	/* Ring buffer samples reserved and not yet submitted/discarded: the
	 * run discards them when the program ends without doing so. */
	void *ringbuf_pending[RUN_CTX_MAX_GRANTS];
};

/* The part of struct uebpf_run_ctx a run starts from zero. */
#define RUN_CTX_CLEARED_SIZE offsetof(struct uebpf_run_ctx, grants)

enum run_ctx_engine {
	RUN_CTX_ENGINE_INTERP = 0,
	RUN_CTX_ENGINE_JIT,
};

/* Calls the sub-program at `code_addr` (a code address, lddw src=4) of the
 * running program with r1..r5 = args, in the engine that is running, on a
 * new frame below the calling frame (rc->cur_fp) and charging the same
 * instruction budget. Returns 0 and the callback's r0 in *ret; -EINVAL
 * when code_addr is not a sub-program entry; -E2BIG when the frames are
 * used up or the budget runs out; -EFAULT for a bad access. On any error
 * the run is failed (run_ctx_fail) with the engine's message, so the
 * helper only has to stop and return. If the callback requested an exit
 * (rc->exit_requested), the helper must stop calling and return too. */
int run_ctx_call(struct uebpf_run_ctx *rc, uint64_t code_addr, const uint64_t args[5],
		 uint64_t *ret);

/* Fails the whole run with `code` and a message (printf-style), as a
 * checked engine would for a fault: the program stops after the current
 * helper returns and uebpf_prog_run returns `code`. For helpers that detect
 * misuse they cannot express as a return value. Returns `code`. */
int run_ctx_fail(struct uebpf_run_ctx *rc, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Withdraws the grant of exactly [addr, ...) made by run_ctx_grant (e.g. a
 * submitted ring buffer sample). Returns 0, or -ENOENT when none. */
int run_ctx_revoke(struct uebpf_run_ctx *rc, const void *addr);

/* What a hook adds to a run besides uebpf_run_opts. */
struct prog_run_extra {
	/* Legacy packet loads read this packet instead of the input memory
	 * (socket filters, tc); ignored when pkt_data is NULL and pkt_len 0
	 * unless use_pkt is set. */
	bool use_pkt;
	const void *pkt_data;
	size_t pkt_len;
	struct pkt_xdp_buff *xdp;
	struct pkt_redirect *redirect;
	uint64_t func_ip;
	uint64_t attach_cookie;
};

/* Runs the sub-program at `code_addr` of `prog` as a run of its own (no
 * input memory; r1..r5 = args; `regions` allowed besides the program's
 * static regions): for callbacks that fire outside any run, such as
 * timers. `jit`: in the JIT image for `checked` (the interpreter when it
 * cannot be compiled). Same results as uebpf_prog_run. */
int prog_run_callback(const struct uebpf_prog *prog, uint64_t code_addr,
		      const uint64_t args[5], bool checked, bool jit, struct uebpf_env *env,
		      const struct uebpf_region *regions, size_t nr_regions,
		      uint64_t *retval, struct uebpf_error *err);

/* Builds what a run with `engine` and `checked` would build on first use
 * (the JIT image), so callers that time runs (test-run) do not time the
 * compilation. Same errors as the run would give. */
int prog_prepare_engine(const struct uebpf_prog *prog, enum uebpf_engine engine,
			bool checked, struct uebpf_error *err);

/* uebpf_prog_run with a hook's extras (NULL: none). */
int prog_run_ex(const struct uebpf_prog *prog, const struct uebpf_run_opts *opts,
		const struct prog_run_extra *extra, uint64_t *retval,
		struct uebpf_error *err);

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
