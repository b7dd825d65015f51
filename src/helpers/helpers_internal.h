/* SPDX-License-Identifier: MIT */
/*
 * The Linux helpers' implementations (one file per family, h_*.c) and what
 * they share: argument checks for runs without a verifier's proof, the
 * environment object, and the end-of-run cleanup.
 *
 * Checked runs execute programs nobody proved safe, so every helper treats
 * its pointer arguments as untrusted there: memory must pass
 * run_ctx_access_ok, maps must be maps the program references. Unchecked
 * runs (verified programs) skip those tests, except where the prototype
 * cannot express the size the helper touches (e.g. bpf_strtol's result).
 */
#ifndef UEBPF_HELPERS_INTERNAL_H
#define UEBPF_HELPERS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "prog/prog.h"
#include "uebpf/helpers.h"
#include "uebpf/map.h"

#define HELPER_FN(name) \
	uint64_t name(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5, \
		      struct uebpf_run_ctx *rc)

#define UNUSED_ARGS5 (void)r1, (void)r2, (void)r3, (void)r4, (void)r5

static inline void *helper_ptr(uint64_t v)
{
	return (void *)(uintptr_t)v;
}

/* Memory arguments: any size in unchecked runs (the verifier proved them),
 * run_ctx_access_ok in checked runs. */
static inline bool helper_mem_ok(const struct uebpf_run_ctx *rc, uint64_t addr, uint64_t size,
				 bool write)
{
	if (!rc->checked || size == 0)
		return true;
	return size <= UINT32_MAX && run_ctx_access_ok(rc, addr, (uint32_t)size, write);
}

/* The map argument, or NULL when a checked run passes something that is
 * not one of its maps. */
struct uebpf_map *helper_map(struct uebpf_run_ctx *rc, uint64_t value);
/* Lets the checked engine reach the values of `map` (an inner map a
 * map-in-map lookup handed out): it becomes a valid map argument and its
 * value storage is granted. */
void helper_adopt_inner_map(struct uebpf_run_ctx *rc, struct uebpf_map *map);

/* Called by uebpf_prog_run once the program (chain) ended: discards ring
 * buffer samples still reserved and releases a spin lock still held, as
 * the kernel's verifier would have forbidden ending that way. */
void helpers_run_end(struct uebpf_run_ctx *rc);
void helper_ringbuf_run_end(struct uebpf_run_ctx *rc);
void helper_lock_run_end(struct uebpf_run_ctx *rc);

/* --------------------------------------------------------- environment */

struct env_timer;

struct uebpf_env {
	pthread_mutex_t lock;          /* timers, trace sink */
	pthread_cond_t timer_done;     /* a timer callback finished */
	uebpf_trace_fn trace_fn;
	void *trace_ctx;
	bool has_seed;
	uint64_t prandom_state;
	struct env_timer **timers;     /* unordered; NULL slots are free */
	size_t nr_timers, cap_timers;
	uint64_t cookie_next;          /* names timers inside struct bpf_timer */
};

/* Sends one trace message to the environment's sink (dropped without). */
void env_trace(struct uebpf_env *env, const char *msg, size_t len);
/* Frees the timers (h_timer.c). */
void env_timers_free(struct uebpf_env *env);

/* ------------------------------------------------------------- families */

/* h_maps.c */
HELPER_FN(helper_map_lookup_elem);
HELPER_FN(helper_map_update_elem);
HELPER_FN(helper_map_delete_elem);
HELPER_FN(helper_map_push_elem);
HELPER_FN(helper_map_pop_elem);
HELPER_FN(helper_map_peek_elem);
HELPER_FN(helper_map_lookup_percpu_elem);
HELPER_FN(helper_for_each_map_elem);
/* h_time.c */
HELPER_FN(helper_ktime_get_ns);
HELPER_FN(helper_ktime_get_boot_ns);
HELPER_FN(helper_ktime_get_coarse_ns);
HELPER_FN(helper_jiffies64);
/* h_misc.c */
HELPER_FN(helper_get_prandom_u32);
HELPER_FN(helper_get_smp_processor_id);
HELPER_FN(helper_get_numa_node_id);
HELPER_FN(helper_get_func_ip);
HELPER_FN(helper_get_attach_cookie);
/* h_trace.c */
HELPER_FN(helper_trace_printk);
HELPER_FN(helper_trace_vprintk);
HELPER_FN(helper_snprintf);
/* h_string.c */
HELPER_FN(helper_strncmp);
HELPER_FN(helper_strtol);
HELPER_FN(helper_strtoul);
/* h_task.c */
HELPER_FN(helper_get_current_pid_tgid);
HELPER_FN(helper_get_current_uid_gid);
HELPER_FN(helper_get_current_comm);
/* h_probe.c */
HELPER_FN(helper_probe_read);
HELPER_FN(helper_probe_read_str);
/* h_ringbuf.c */
HELPER_FN(helper_ringbuf_output);
HELPER_FN(helper_ringbuf_reserve);
HELPER_FN(helper_ringbuf_submit);
HELPER_FN(helper_ringbuf_discard);
HELPER_FN(helper_ringbuf_query);
/* h_perf.c */
HELPER_FN(helper_perf_event_output);
/* h_lock.c */
HELPER_FN(helper_spin_lock);
HELPER_FN(helper_spin_unlock);
/* h_timer.c */
HELPER_FN(helper_timer_init);
HELPER_FN(helper_timer_set_callback);
HELPER_FN(helper_timer_start);
HELPER_FN(helper_timer_cancel);
/* h_loop.c */
HELPER_FN(helper_loop);
/* h_pkt.c */
HELPER_FN(helper_xdp_adjust_head);
HELPER_FN(helper_xdp_adjust_tail);
HELPER_FN(helper_xdp_adjust_meta);
HELPER_FN(helper_csum_diff);
HELPER_FN(helper_xdp_redirect);
HELPER_FN(helper_skb_redirect);
HELPER_FN(helper_redirect_map);
/* h_skb.c */
HELPER_FN(helper_skb_load_bytes);
/* h_tail_call.c */
HELPER_FN(helper_tail_call);

/* The implementation of Linux helper `id` for programs of `prog_type`
 * (some helpers differ per type, e.g. bpf_redirect), NULL when none. */
uebpf_helper_fn helper_linux_fn(uint32_t id, uint32_t prog_type);

#endif
