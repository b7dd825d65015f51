/* SPDX-License-Identifier: MIT */
/*
 * The verifier's internal vocabulary: abstract registers, stack slots,
 * frames, states and the environment of one verification. Shared by the
 * files of src/verifier, one concern each (cfg, state, alu_bounds, memory,
 * helpers_check, refs, messages, verifier).
 */
#ifndef UEBPF_VERIFIER_VSTATE_H
#define UEBPF_VERIFIER_VSTATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"
#include "progtypes/progtypes.h"
#include "uebpf/verifier.h"
#include "verifier/tnum.h"

#define V_MAX_FRAMES UEBPF_MAX_CALL_DEPTH
#define V_STACK_SIZE UEBPF_STACK_SIZE
#define V_SLOT_SIZE 8
#define V_NR_SLOTS (V_STACK_SIZE / V_SLOT_SIZE)
#define V_MAX_REFS 64
#define V_NR_ARG_REGS 5
/* Pointer offsets and sizes the verifier reasons about stay far from
 * overflow (the kernel's BPF_MAX_VAR_OFF / BPF_MAX_VAR_SIZ). */
#define V_MAX_VAR_OFF (1ll << 29)
#define V_MAX_VAR_SIZE (1ull << 29)
#define V_MAX_PACKET_OFF 0xffff

enum vreg_type {
	REG_NOT_INIT = 0,
	REG_SCALAR,
	PTR_TO_CTX,
	PTR_TO_STACK,
	CONST_PTR_TO_MAP,
	PTR_TO_MAP_VALUE,
	PTR_TO_PACKET,
	PTR_TO_PACKET_END,
	PTR_TO_PACKET_META,
	PTR_TO_MEM,        /* raw input buffer, ringbuf reservation */
	PTR_TO_FUNC,
};

enum vreg_flags {
	REG_MAYBE_NULL = 1u << 0,
	REG_RDONLY = 1u << 1,      /* PTR_TO_MEM that may only be read */
	REG_RINGBUF = 1u << 2,     /* PTR_TO_MEM from bpf_ringbuf_reserve */
	REG_MAP_KEY = 1u << 3,     /* PTR_TO_MEM: a map's key handed to a callback (read-only) */
};

/* One register's abstract value. For scalars var_off and the bounds describe
 * the value; for pointers they describe the variable part of the offset and
 * `off` is the fixed part. */
struct vreg {
	uint8_t type;              /* enum vreg_type */
	uint8_t flags;             /* enum vreg_flags */
	uint8_t frameno;           /* PTR_TO_STACK: whose frame */
	int32_t off;
	struct tnum var_off;
	int64_t smin, smax;
	uint64_t umin, umax;
	int32_t s32_min, s32_max;
	uint32_t u32_min, u32_max;
	/* Copies of one value share an id, so a null check or a packet range
	 * check on one applies to all. 0: no copies tracked. */
	uint32_t id;
	uint32_t ref_obj_id;       /* the reference this pointer holds, 0: none */
	/* map index (CONST_PTR_TO_MAP, PTR_TO_MAP_VALUE), size (PTR_TO_MEM),
	 * subprogram (PTR_TO_FUNC) */
	uint32_t aux;
	/* Packet pointers: bytes proven inside the packet counted from the
	 * packet start plus the variable offset. */
	int32_t range;
};

enum vslot_byte {
	SLOT_INVALID = 0,          /* never written on this path */
	SLOT_SPILL,                /* part of an 8-byte register spill */
	SLOT_MISC,                 /* some initialised scalar data */
	SLOT_ZERO,                 /* known zero */
};

struct vslot {
	struct vreg spilled;       /* valid when all bytes are SLOT_SPILL */
	uint8_t bytes[V_SLOT_SIZE];/* enum vslot_byte, bytes[i] is at slot offset i */
};

struct vframe {
	struct vreg regs[ISA_NR_REGS];
	int32_t callsite;          /* call insn that entered this frame, -1 for main */
	uint32_t subprog;
	/* Callback frames (callbacks.c): the helper running this callback
	 * (0: an ordinary frame) and the references held when it started,
	 * which the callback may neither release nor leave more of. An async
	 * callback (timer) is frame 0 of its own state, callsite = the
	 * helper call that registered it. */
	uint32_t cb_helper;
	uint32_t cb_nrefs;
	uint32_t nslots;           /* slots from the top in use; the rest are INVALID */
	/* slot i holds bytes [fp - 8*(i+1), fp - 8*i) */
	struct vslot stack[V_NR_SLOTS];
};

struct vref {
	uint32_t id;
	uint32_t insn_idx;         /* where it was acquired */
};

struct vcheckpoint;

struct vstate {
	struct vframe *frames[V_MAX_FRAMES];
	uint32_t curframe;
	uint32_t insn_idx;
	/* insn + 1 when this state just returned from a callback to the
	 * helper call at insn, which then runs again (callbacks.c); 0 else. */
	uint32_t cb_revisit;
	/* Callback returns on this path: states from different rounds of a
	 * callback are not an infinite loop even when equal. */
	uint32_t cb_rounds;
	uint32_t nrefs;
	struct vref refs[V_MAX_REFS];
	/* bpf_spin_lock held: which map value (map index, pointer id, offset). */
	bool lock_held;
	uint32_t lock_map, lock_id;
	int32_t lock_off;
	uint32_t lock_insn;
};

/* A state stored at a prune point. Exploration is depth-first with a
 * stack of pending branches: every path explored after the checkpoint was
 * taken descends from it until the pending entry that was below it then
 * (depth - 1, identified by its sequence number) is taken. */
struct vcheckpoint {
	struct vstate st;
	struct vcheckpoint *next;      /* same instruction */
	uint32_t depth;                /* pending branches when it was stored */
	uint64_t below_seq;            /* sequence number of pending[depth - 1] */
	uint32_t hits, misses;
};

struct vpending {
	struct vstate st;
	uint64_t seq;
};

enum vsubprog_cb_use {
	CB_USE_SYNC = 1u << 0,         /* runs on top of a helper's caller (bpf_loop) */
	CB_USE_ASYNC = 1u << 1,        /* runs later on its own stack (timers) */
};

struct vsubprog {
	uint32_t start, end;           /* [start, end) */
	uint32_t stack_depth;          /* bytes, deepest access seen */
	uint8_t cb_use;                /* enum vsubprog_cb_use: verified as a callback */
};

enum vinsn_flags {
	INSN_PRUNE_POINT = 1u << 0,
	INSN_SEEN = 1u << 1,
	INSN_SUBPROG_START = 1u << 2,
	INSN_SECOND_SLOT = 1u << 3,    /* second half of a lddw */
	INSN_CALLBACK_CALL = 1u << 4,  /* helper call that runs a callback synchronously */
	/* its operands' values decided something on some path (relevance.c) */
	INSN_OPERANDS_MATTER = 1u << 5,
};

/* Growable text buffer for the log and messages. */
struct vbuf {
	char *data;
	size_t len, cap;
	bool failed;                   /* ran out of memory: stop appending */
};

struct venv {
	const struct bpf_insn *insns;
	uint32_t cnt;
	const struct progtype_desc *desc;
	uint32_t prog_type;
	uint32_t attach_type;
	bool strict;
	uint32_t log_level;
	size_t mem_size;
	uint64_t budget;
	const struct uebpf_helper_set *helpers;
	const struct uebpf_verify_map *maps;
	size_t nr_maps;                /* inner-map shapes included */
	size_t nr_user_maps;           /* the ones lddw may name */
	struct uebpf_verify_map *owned_maps;
	uint32_t *inner_of;            /* map index -> inner map index + 1, 0: none */
	const struct uebpf_insn_line *lines;
	size_t nr_lines;

	/* control flow (cfg.c) */
	struct vsubprog *subprogs;
	uint32_t nr_subprogs;
	/* synchronous callbacks: which function's frame each one ran on top
	 * of (callbacks.c), for the combined stack (cfg.c) */
	struct vcb_edge {
		uint32_t caller, callee;
		uint32_t insn;             /* the helper call, for messages */
	} *cb_edges;
	uint32_t nr_cb_edges, cap_cb_edges;
	uint32_t *insn_subprog;
	uint8_t *insn_flags;
	uint16_t *live_in;             /* registers read before written, per insn */
	/* registers whose value may matter for safety, per insn (relevance.c) */
	uint16_t *relevant_in;
	bool relevance_stale;          /* an insn got INSN_OPERANDS_MATTER since */
	/* Pruning ignores the values of irrelevant scalars; not with
	 * synchronous callbacks, whose rounds are pruned against states
	 * still being explored. */
	bool prune_by_relevance;

	/* exploration (verifier.c, state.c) */
	struct vcheckpoint **explored; /* per insn */
	struct vpending *pending;      /* stack of branches still to explore */
	size_t nr_pending, cap_pending;
	uint64_t next_seq;
	struct vstate *cur;
	uint32_t next_id;
	uint64_t nr_checkpoints;
	uint64_t jmps_processed, prev_jmps, prev_insns;
	struct uebpf_verify_stats stats;

	/* messages (messages.c) */
	struct vbuf log;
	bool refused;
	int refusal_code;
	long refusal_insn;
	char reason[512];
	char hint[256];
	char reg_state[512];
	char insn_text[96];
	char source[256];
};

/* ----------------------------------------------------------- messages.c */

void vbuf_printf(struct vbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vbuf_vprintf(struct vbuf *b, const char *fmt, va_list ap);
void vbuf_free(struct vbuf *b);

/* Records the refusal at the current instruction: `regs` is a bit mask of
 * the registers whose state explains it, `hint` may be NULL. Returns
 * -EACCES so callers can `return verr(...)`. */
int verr(struct venv *env, uint32_t regs, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Same with another errno and instruction index (-1: whole program). */
int verr_at(struct venv *env, int code, long insn_idx, uint32_t regs, const char *hint,
	    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int vreg_snprint(const struct venv *env, char *buf, size_t len, const struct vreg *reg);
const char *vreg_type_name(const struct vreg *reg);
void vlog_state(struct venv *env, const struct vstate *st);
void vlog_insn(struct venv *env, uint32_t idx);
const char *vmap_name(const struct venv *env, uint32_t map_idx, char *buf, size_t len);

/* ------------------------------------------------------------- state.c */

struct vstate *vstate_new(struct venv *env);
int vstate_copy(struct venv *env, struct vstate *dst, const struct vstate *src);
void vstate_free_frames(struct vstate *st);
static inline struct vframe *cur_frame(const struct venv *env)
{
	return env->cur->frames[env->cur->curframe];
}
static inline struct vreg *cur_regs(const struct venv *env)
{
	return cur_frame(env)->regs;
}
/* Is `cur` contained in the stored `old` (exact: equal)? */
bool vstates_equal(struct venv *env, const struct vstate *old, const struct vstate *cur,
		   bool exact);
/* Is `cur` contained in the finished `old`, scalars whose value does not
 * matter (relevance.c) compared by type only? */
bool vstates_covered(struct venv *env, const struct vstate *old, const struct vstate *cur);
/* Looks for a stored state covering the current one at a prune point.
 * Returns 1 (prune), 0 (explore; the state was stored) or an error. */
int vis_state_visited(struct venv *env, uint32_t idx);
/* Queues the current state with its insn_idx replaced for later. */
int vpush_branch(struct venv *env, uint32_t insn_idx, struct vstate **out);
/* Forgets the branch vpush_branch queued last. */
void vdrop_pushed_branch(struct venv *env);
/* The current path ended; takes the next pending one. Returns 1 when one
 * was taken, 0 when everything has been explored. */
int vpop_branch(struct venv *env);
void vfree_all_states(struct venv *env);

/* -------------------------------------------------------- alu_bounds.c */

void vreg_mark_unknown(struct vreg *reg);
void vreg_mark_const(struct vreg *reg, uint64_t v);
void vreg_mark_not_init(struct vreg *reg);
void vreg_bounds_sync(struct vreg *reg);
bool vreg_bounds_sane(const struct vreg *reg);
void vreg_set_bounds_from_tnum(struct vreg *reg);
static inline bool vreg_is_const(const struct vreg *reg)
{
	return reg->type == REG_SCALAR && tnum_is_const(reg->var_off);
}
static inline bool vreg_is_pointer(const struct vreg *reg)
{
	return reg->type != REG_SCALAR && reg->type != REG_NOT_INIT;
}
/* Narrows a scalar to the values it can take after a load of `size`
 * bytes (sign-extending when `sext`). */
void vreg_mark_loaded(struct vreg *reg, unsigned size, bool sext);
int vcheck_alu(struct venv *env, const struct bpf_insn *insn);
int vcheck_cond_jmp(struct venv *env, const struct bpf_insn *insn, uint32_t idx,
		    uint32_t *next_idx);

/* ------------------------------------------------------------ memory.c */

int vcheck_load(struct venv *env, const struct bpf_insn *insn);
int vcheck_store(struct venv *env, const struct bpf_insn *insn);
int vcheck_atomic(struct venv *env, const struct bpf_insn *insn);
int vcheck_lddw(struct venv *env, const struct bpf_insn *insn);
int vcheck_ld_pkt(struct venv *env, const struct bpf_insn *insn);
/* Checks that `size` bytes (size a scalar register, or constant when
 * size_reg is NULL) at pointer `ptr` may be read (or written: `write`),
 * for helper arguments; `regno` names the pointer in messages. Marks the
 * stack bytes initialised for writes. */
int vcheck_helper_mem(struct venv *env, uint32_t regno, const struct vreg *ptr,
		      uint64_t size, bool write, const char *what);
/* Stack offset of a PTR_TO_STACK, the frame it belongs to. */
struct vframe *vstack_frame(struct venv *env, const struct vreg *ptr);
void vstack_grow(struct venv *env, struct vframe *frame, int64_t lowest_off);

/* ----------------------------------------------------- helpers_check.c */

int vcheck_helper_call(struct venv *env, const struct bpf_insn *insn, uint32_t idx);
/* Proto used for helper `id`, NULL when none is known. */
const struct uebpf_helper_proto *vhelper_proto(const struct venv *env, uint32_t id,
					       uint32_t *flags);

/* -------------------------------------------------------------- refs.c */

int vref_acquire(struct venv *env, uint32_t insn_idx, uint32_t *id);
int vref_release(struct venv *env, uint32_t id);
bool vref_held(const struct venv *env, uint32_t id);
/* Calls fn on every register and spilled register of every frame. */
void vfor_each_reg(struct vstate *st, void (*fn)(struct vreg *reg, void *arg), void *arg);
/* Null check outcome for every copy with `id`. */
void vmark_ptr_or_null(struct venv *env, uint32_t id, bool is_null);
/* After a helper that may move the packet. */
void vclear_packet_pointers(struct venv *env);
int vcheck_refs_at_exit(struct venv *env);
static inline uint32_t vnew_id(struct venv *env) { return ++env->next_id; }

/* --------------------------------------------------------- callbacks.c */

/* Rounds of one callback on one path before scalars that keep changing
 * are widened (lets small ranges, e.g. an index the callback stores,
 * settle precisely). */
#define V_CALLBACK_WIDEN_ROUNDS 3

/* How a helper that takes a callback calls it. */
struct vcallback_desc {
	uint32_t helper_id;
	uint8_t func_regno;            /* register holding the callback's code address */
	uint8_t ctx_regno;             /* register passed through to the callback, 0: none */
	bool async;                    /* runs later, from a fresh state (timers) */
	int32_t ret_max;               /* callback returns a value in [0, ret_max] */
	const char *signature;         /* for messages */
};

/* NULL when helper `id` takes no callback. */
const struct vcallback_desc *vcallback_find(uint32_t helper_id);
/* Argument checks: the callback (a code address of a sub-program) and the
 * context passed through to it (a stack pointer or NULL). */
int vcheck_callback_fn_arg(struct venv *env, const struct vcallback_desc *cb, uint32_t regno,
			   const char *hname);
int vcheck_callback_ctx_arg(struct venv *env, uint32_t regno, const char *hname);
/* At a helper call taking a callback, its arguments checked and r1-r5 not
 * yet clobbered: queues the callback's verification (and checks what
 * depends on the argument values, e.g. bpf_loop's bound). */
int vpush_callback(struct venv *env, const struct vcallback_desc *cb, uint32_t insn_idx,
		   const char *hname);
/* The innermost callback frame of the current state, NULL when none. */
const struct vframe *vcallback_frame(const struct venv *env);
/* May the reference `id` be released here (not the caller's, inside a
 * callback)? */
int vcheck_callback_release(struct venv *env, uint32_t id, const char *hname);
/* exit from a callback frame: checks r0 and references and returns to the
 * helper call, which runs again (*next = the call). */
int vcallback_exit(struct venv *env, uint32_t *next);
/* Before storing the state that returned from a callback at the helper
 * call: scalars the callback changed since `entry` (the state that entered
 * this round) become unknown, so repeated rounds reach a fixed point. */
void vwiden_after_callback(struct venv *env, const struct vstate *entry);

/* --------------------------------------------------------------- cfg.c */

int vcheck_cfg(struct venv *env);
void vcompute_liveness(struct venv *env);
/* Successors of insn i inside its function; returns how many (0..2). */
int vinsn_successors(const struct venv *env, uint32_t i, uint32_t succ[2]);
/* r1-r5 read by the helper call `insn` (all of them when unknown). */
uint16_t vhelper_arg_regs(const struct venv *env, const struct bpf_insn *insn);

/* --------------------------------------------------------- relevance.c */

/* Recomputes env->relevant_in (it only grows). */
void vcompute_relevance(struct venv *env);
/* The walk found that insn idx's operand values decide something (a
 * conditional jump followed one way only, pointer arithmetic). */
void vmark_operands_matter(struct venv *env, uint32_t idx);

/* ---------------------------------------------------------- verifier.c */

/* Does the program type restrict the program's return value? */
bool vret_range_applies(const struct venv *env);
int vcheck_stack_depth(struct venv *env);

#endif
