/* SPDX-License-Identifier: MIT */
/*
 * The verifier: proves a program safe before it runs without runtime checks,
 * after the Linux kernel's verifier (kernel/bpf/verifier.c).
 *
 * It walks every path of the program with an abstract state per register and
 * stack slot and refuses the program at the first instruction that could
 * misbehave, saying which instruction, which register state makes it unsafe,
 * why, and what the usual fix is. See docs/verifier.md.
 */
#ifndef UEBPF_VERIFIER_H
#define UEBPF_VERIFIER_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* uebpf's own program type, next to enum bpf_prog_type: r1 points to a
 * buffer of `mem_size` bytes (known at verification), r2 holds its length. */
#define UEBPF_PROG_TYPE_RAW 0x10000u

/* What the verifier needs to know about a map a program references with
 * lddw (src 1/5: map, src 2/6: map value); lddw imm indexes this table. */
struct uebpf_verify_map {
	const char *name;            /* for messages; may be NULL */
	uint32_t type;               /* enum bpf_map_type */
	uint32_t key_size;
	uint32_t value_size;
	uint32_t max_entries;
	uint32_t map_flags;          /* BPF_F_RDONLY_PROG, BPF_F_WRONLY_PROG, ... */
	/* Map-in-map (array/hash of maps): the shape of the inner maps, which
	 * a lookup returns. Borrowed. */
	const struct uebpf_verify_map *inner_map;
};

/* Source position of an instruction (from BTF line info), so refusals can
 * point at the C line. Entries are sorted by insn_idx; one entry covers the
 * instructions up to the next entry. */
struct uebpf_insn_line {
	uint32_t insn_idx;
	uint32_t line;
	uint32_t col;
	const char *file;            /* may be NULL */
	const char *text;            /* the source line, may be NULL */
};

enum uebpf_verify_log_level {
	UEBPF_VERIFY_LOG_NONE = 0,   /* verdict, refusal and statistics only */
	UEBPF_VERIFY_LOG_BRIEF = 1,  /* + a summary in the log */
	UEBPF_VERIFY_LOG_FULL = 2,   /* + every instruction of every explored path with its state */
};

struct uebpf_verify_opts {
	size_t sz;
	/* enum bpf_prog_type or UEBPF_PROG_TYPE_RAW; 0: the program's own type,
	 * and UEBPF_PROG_TYPE_RAW when it has none. */
	uint32_t prog_type;
	uint32_t expected_attach_type;  /* enum bpf_attach_type, e.g. BPF_TRACE_FENTRY */
	/* Unprivileged rules: no loops, no pointer leaks into maps, helpers
	 * or return values, no pointer comparisons or tricky arithmetic. */
	bool strict;
	uint32_t log_level;          /* enum uebpf_verify_log_level */
	size_t mem_size;             /* UEBPF_PROG_TYPE_RAW: buffer size in bytes */
	const struct uebpf_verify_map *maps;
	size_t nr_maps;
	const struct uebpf_insn_line *lines;
	size_t nr_lines;
	/* Instructions the verifier may process before giving up; 0 means
	 * UEBPF_VERIFY_DEFAULT_BUDGET (the kernel's 1 million). */
	uint64_t insn_budget;
};
#define UEBPF_VERIFY_OPTS_SZ_LAST offsetof(struct uebpf_verify_opts, insn_budget)

#define UEBPF_VERIFY_DEFAULT_BUDGET 1000000u

/* Why a program was refused. Strings live as long as the result. */
struct uebpf_verify_refusal {
	int code;                    /* negative errno: -EACCES, -EINVAL, -E2BIG, ... */
	long insn_idx;               /* -1 when the refusal is about the whole program */
	const char *insn_text;       /* disassembly of that instruction, "" when none */
	const char *source;          /* "file.c:42:7: text" when line info is known, else "" */
	const char *reg_state;       /* the state that makes it unsafe, e.g. "r3: pkt(off=14, range=0)" */
	const char *reason;          /* one sentence */
	const char *hint;            /* the usual fix, "" when none */
};

struct uebpf_verify_stats {
	uint64_t insns_processed;    /* instructions walked, summed over all paths */
	uint64_t states_explored;    /* states stored for pruning */
	uint64_t states_pruned;      /* paths cut because a stored state covered them */
	uint64_t peak_states;        /* largest number of states held at once */
	uint32_t max_stack_depth;    /* bytes, deepest call chain */
	uint64_t time_ns;            /* wall time of the verification */
};

struct uebpf_verify_result;

/* Verifies `prog`. Returns 0 when the program is accepted (and marks it
 * verified), -EACCES (or -E2BIG when the budget runs out, -EINVAL for a
 * malformed program) when it is refused, another negative errno on failure
 * to verify at all (-ENOMEM, bad options). When `result` is not NULL it
 * receives an object describing the verdict (also on refusal); destroy it
 * with uebpf_verify_result_destroy. `err` receives the refusal in one line. */
int uebpf_prog_verify(struct uebpf_prog *prog, const struct uebpf_verify_opts *opts,
		      struct uebpf_verify_result **result, struct uebpf_error *err);

/* The same on raw instructions, without a program object. */
int uebpf_verify_insns(const struct bpf_insn *insns, size_t insn_cnt,
		       const struct uebpf_verify_opts *opts,
		       struct uebpf_verify_result **result, struct uebpf_error *err);

void uebpf_verify_result_destroy(struct uebpf_verify_result *result);

bool uebpf_verify_result_accepted(const struct uebpf_verify_result *result);
/* NULL when accepted. */
const struct uebpf_verify_refusal *
uebpf_verify_result_refusal(const struct uebpf_verify_result *result);
const struct uebpf_verify_stats *
uebpf_verify_result_stats(const struct uebpf_verify_result *result);
/* The log collected at the requested level ("" when none). */
const char *uebpf_verify_result_log(const struct uebpf_verify_result *result);
/* The refusal in the multi-line human form the CLI prints. */
const char *uebpf_verify_result_message(const struct uebpf_verify_result *result);
/* The verdict, refusal and statistics as a JSON object (malloc'd string). */
int uebpf_verify_result_json(const struct uebpf_verify_result *result, char **json,
			     struct uebpf_error *err);

/* Name of a program type ("xdp", "raw", ...) or NULL; and back (0 when
 * unknown, as BPF_PROG_TYPE_UNSPEC). */
const char *uebpf_prog_type_name(uint32_t prog_type);
uint32_t uebpf_prog_type_from_name(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* UEBPF_VERIFIER_H */
