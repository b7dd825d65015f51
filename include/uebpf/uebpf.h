/* SPDX-License-Identifier: MIT */
/*
 * uebpf: an eBPF runtime outside the Linux kernel.
 *
 * Conventions (as in libbpf):
 *  - objects are opaque and come in create/destroy pairs;
 *  - options structs start with `size_t sz` (set it to sizeof the struct) so
 *    they can grow without breaking callers;
 *  - calls return 0 or a negative errno; when `err` is not NULL it receives a
 *    message a user can act on.
 */
#ifndef UEBPF_UEBPF_H
#define UEBPF_UEBPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct bpf_insn; /* the RFC 9669 encoding, as in <linux/bpf.h> */
struct uebpf_map; /* <uebpf/map.h> */
struct uebpf_env; /* <uebpf/helpers.h> */

/* ---------------------------------------------------------------- errors */

#define UEBPF_ERRMSG_MAX 512

struct uebpf_error {
	int code;                    /* negative errno, 0 when no error */
	char msg[UEBPF_ERRMSG_MAX];  /* NUL-terminated, "" when no error */
};

/* Clears `err` (no-op on NULL). */
void uebpf_error_clear(struct uebpf_error *err);

/* ------------------------------------------------------------ run context */

/* Per-run state handed to helpers; valid only during the helper call. */
struct uebpf_run_ctx;

/* Asks the running program to stop at once with r0 = `retval` once the
 * current helper returns. */
void uebpf_run_ctx_exit(struct uebpf_run_ctx *rc, uint64_t retval);

/* The `user` pointer given in uebpf_run_opts. */
void *uebpf_run_ctx_user(const struct uebpf_run_ctx *rc);

/* ---------------------------------------------------------------- helpers */

typedef uint64_t (*uebpf_helper_fn)(uint64_t r1, uint64_t r2, uint64_t r3,
				    uint64_t r4, uint64_t r5,
				    struct uebpf_run_ctx *rc);

/* Argument and return kinds, after the kernel's bpf_arg_type/bpf_return_type.
 * The verifier checks calls against them. */
enum uebpf_arg_kind {
	UEBPF_ARG_NONE = 0,          /* argument not used */
	UEBPF_ARG_ANYTHING,          /* any initialised scalar or pointer */
	UEBPF_ARG_SCALAR,            /* any initialised scalar */
	UEBPF_ARG_CONST_MAP_PTR,
	UEBPF_ARG_PTR_TO_MAP_KEY,
	UEBPF_ARG_PTR_TO_MAP_VALUE,
	UEBPF_ARG_PTR_TO_MEM,        /* initialised memory, size in next arg */
	UEBPF_ARG_PTR_TO_UNINIT_MEM, /* writable memory, size in next arg */
	UEBPF_ARG_CONST_SIZE,
	UEBPF_ARG_CONST_SIZE_OR_ZERO,
	UEBPF_ARG_PTR_TO_CTX,
	UEBPF_ARG_PTR_TO_FUNC,       /* callback: a code address (lddw src=4) */
	UEBPF_ARG_PTR_TO_STACK,
	UEBPF_ARG_PTR_TO_CONST_STR,
	UEBPF_ARG_PTR_TO_RINGBUF_MEM,
	UEBPF_ARG_PTR_TO_SPIN_LOCK,
	UEBPF_ARG_PTR_TO_TIMER,
	UEBPF_ARG_CONST_ALLOC_SIZE_OR_ZERO,
	/* An 8-byte result the helper writes (the kernel's ARG_PTR_TO_LONG,
	 * e.g. bpf_strtol's res): writable, in bounds, initialised after. */
	UEBPF_ARG_PTR_TO_LONG,
};

enum uebpf_ret_kind {
	UEBPF_RET_INTEGER = 0,
	UEBPF_RET_VOID,
	UEBPF_RET_PTR_TO_MAP_VALUE_OR_NULL,
	UEBPF_RET_PTR_TO_MEM_OR_NULL,      /* e.g. ringbuf_reserve */
};

struct uebpf_helper_proto {
	uint32_t id;                 /* Linux helper id (enum bpf_func_id) or host's */
	const char *name;            /* e.g. "bpf_map_lookup_elem" */
	uebpf_helper_fn fn;
	enum uebpf_ret_kind ret;
	enum uebpf_arg_kind args[5];
};

/* A set of helpers a program may call, keyed by id. */
struct uebpf_helper_set;

int uebpf_helper_set_create(struct uebpf_helper_set **out, struct uebpf_error *err);
void uebpf_helper_set_destroy(struct uebpf_helper_set *set);
/* Adds or replaces the helper with proto->id; the proto is copied (name too). */
int uebpf_helper_set_add(struct uebpf_helper_set *set,
			 const struct uebpf_helper_proto *proto,
			 struct uebpf_error *err);
const struct uebpf_helper_proto *
uebpf_helper_set_find(const struct uebpf_helper_set *set, uint32_t id);

/* --------------------------------------------------------------- programs */

struct uebpf_prog;

struct uebpf_prog_opts {
	size_t sz;
	const char *name;                       /* for messages; may be NULL */
	/* Helpers the program may call. Borrowed: must outlive the program.
	 * NULL means no helpers. */
	const struct uebpf_helper_set *helpers;
	/* Maps the program references: `lddw rX, map` is src_reg 5
	 * (BPF_PSEUDO_MAP_IDX, or 1) with imm = index into this array;
	 * `lddw rX, &value + off` is src_reg 6 (BPF_PSEUDO_MAP_IDX_VALUE, or 2)
	 * with imm = index and the second slot's imm = offset in the value, as
	 * the kernel's fd_array loads. Borrowed: must outlive the program.
	 * The object loader (<uebpf/object.h>) fills these. */
	struct uebpf_map *const *maps;
	size_t nr_maps;
};
#define UEBPF_PROG_OPTS_SZ_LAST offsetof(struct uebpf_prog_opts, nr_maps)

/* Creates a program from raw instructions, refusing malformed encodings
 * (unknown opcodes, bad registers, non-zero unused fields, jumps out of range
 * or into a lddw, truncated lddw, falling off the end, unknown helper ids).
 * The instructions are copied. */
int uebpf_prog_load(const struct bpf_insn *insns, size_t insn_cnt,
		    const struct uebpf_prog_opts *opts, struct uebpf_prog **out,
		    struct uebpf_error *err);
void uebpf_prog_destroy(struct uebpf_prog *prog);

size_t uebpf_prog_insn_cnt(const struct uebpf_prog *prog);
const struct bpf_insn *uebpf_prog_insns(const struct uebpf_prog *prog);
const char *uebpf_prog_name(const struct uebpf_prog *prog);
/* True once the verifier accepted the program: only then may it run
 * without runtime checks. */
bool uebpf_prog_is_verified(const struct uebpf_prog *prog);

enum uebpf_engine {
	UEBPF_ENGINE_DEFAULT = 0,  /* JIT for verified programs, else checked interpreter */
	UEBPF_ENGINE_INTERP,
	UEBPF_ENGINE_JIT,
};

/* Memory the program may touch besides its stack and input. */
struct uebpf_region {
	void *addr;
	size_t len;
	bool writable;
};

enum uebpf_run_flags {
	/* Skip runtime bounds checks; refused (-EPERM) unless the program is
	 * verified. */
	UEBPF_RUN_UNCHECKED = 1u << 0,
};

struct uebpf_run_opts {
	size_t sz;
	/* Input memory: r1 = mem, r2 = mem_len at entry (both 0 when NULL). */
	void *mem;
	size_t mem_len;
	bool mem_readonly;
	/* Extra regions the checked engines allow access to. */
	const struct uebpf_region *regions;
	size_t nr_regions;
	/* Instructions the checked engines may execute before stopping the
	 * program with -E2BIG; 0 means the default (UEBPF_DEFAULT_INSN_BUDGET). */
	uint64_t insn_budget;
	enum uebpf_engine engine;
	uint32_t flags;              /* enum uebpf_run_flags */
	void *user;                  /* handed to helpers, see uebpf_run_ctx_user */
	/* Where the Linux helpers send trace output and keep timers
	 * (<uebpf/helpers.h>, uebpf_env_create); NULL: trace output is
	 * dropped and timer helpers fail with -EOPNOTSUPP. Borrowed. */
	struct uebpf_env *env;
};
#define UEBPF_RUN_OPTS_SZ_LAST offsetof(struct uebpf_run_opts, env)

#define UEBPF_DEFAULT_INSN_BUDGET (1ull << 32)
#define UEBPF_STACK_SIZE 512        /* bytes per frame */
#define UEBPF_MAX_CALL_DEPTH 8      /* frames, the entry one included */

/* Runs the program once. Thread-safe: a program may run in several threads
 * at once (all per-run state lives on the caller's stack).
 * Returns 0 and stores r0 in *retval, or a negative errno when the program
 * was stopped (out-of-bounds access: -EFAULT, budget exhausted: -E2BIG,
 * division trap never happens: RFC semantics), naming the instruction. */
int uebpf_prog_run(const struct uebpf_prog *prog,
		   const struct uebpf_run_opts *opts, uint64_t *retval,
		   struct uebpf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* UEBPF_UEBPF_H */
