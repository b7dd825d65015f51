/* SPDX-License-Identifier: MIT */
/*
 * The Linux helpers (enum bpf_func_id in <linux/bpf.h>) implemented by uebpf,
 * and the environment they run in.
 */
#ifndef UEBPF_HELPERS_H
#define UEBPF_HELPERS_H

#include "uebpf/uebpf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A helper set holding every Linux helper uebpf implements that programs of
 * `prog_type` (enum bpf_prog_type, or UEBPF_PROG_TYPE_RAW) may call, with the
 * prototypes the verifier checks. Hosts may add their own helpers to it
 * (uebpf_helper_set_add) before loading programs. */
int uebpf_helper_set_create_linux(uint32_t prog_type, struct uebpf_helper_set **out,
				  struct uebpf_error *err);

/* ------------------------------------------------------------ environment */

/*
 * An environment holds what the Linux helpers need beyond one run: where
 * trace output goes (the kernel's trace_pipe), the timers programs armed,
 * and an optional fixed random seed. Hand it to runs through
 * uebpf_run_opts.env; several threads may run programs with the same
 * environment at once. See docs/helpers.md.
 */
struct uebpf_env;

/* One message of bpf_trace_printk / bpf_printk / bpf_trace_vprintk: the
 * formatted text (not NUL-terminated, usually ending in '\n'). */
typedef void (*uebpf_trace_fn)(void *ctx, const char *msg, size_t len);

struct uebpf_env_opts {
	size_t sz;
	/* Trace sink; calls are serialised per environment. NULL: dropped. */
	uebpf_trace_fn trace_fn;
	void *trace_ctx;
	/* Non-zero: bpf_get_prandom_u32 returns a reproducible sequence for
	 * this environment. 0: each thread draws from its own generator,
	 * seeded from the operating system. */
	uint64_t prandom_seed;
};
#define UEBPF_ENV_OPTS_SZ_LAST offsetof(struct uebpf_env_opts, prandom_seed)

int uebpf_env_create(const struct uebpf_env_opts *opts, struct uebpf_env **out,
		     struct uebpf_error *err);
/* Cancels every timer, then frees the environment. */
void uebpf_env_destroy(struct uebpf_env *env);

/*
 * Timers (bpf_timer_init/set_callback/start/cancel) fire at host "ticks":
 * nothing runs in the background. The host calls uebpf_env_run_timers
 * (e.g. from its event loop, sleeping uebpf_env_next_timer_ns in between);
 * it runs, in the calling thread, the callback of every timer whose
 * expiry has passed, each as a fresh run of the program that set it
 * (checked unless that run was unchecked). A timer remembers the program:
 * cancel the timers (uebpf_env_cancel_timers or destroy the environment)
 * before destroying programs that armed them.
 */
/* Returns the number of callbacks run, or the first callback's error
 * (the remaining expired timers stay due). */
int uebpf_env_run_timers(struct uebpf_env *env, struct uebpf_error *err);
/* Nanoseconds until the next armed timer expires (0: one is due now),
 * UINT64_MAX when none is armed. */
uint64_t uebpf_env_next_timer_ns(struct uebpf_env *env);
/* Disarms and forgets every timer. */
void uebpf_env_cancel_timers(struct uebpf_env *env);

#ifdef __cplusplus
}
#endif
#endif
