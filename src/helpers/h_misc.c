/* SPDX-License-Identifier: MIT */
/*
 * bpf_get_prandom_u32, bpf_get_smp_processor_id, bpf_get_numa_node_id,
 * bpf_get_func_ip, bpf_get_attach_cookie.
 *
 * Random numbers: with an environment seed (uebpf_env_opts.prandom_seed)
 * the environment's counter drives the sequence, so runs are
 * reproducible; otherwise each thread has its own generator seeded from
 * the operating system on first use (per-thread state, like the kernel's
 * per-CPU state: no lock, no shared mutable state).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "helpers/helpers_internal.h"

/* splitmix64: one multiply-xorshift round per draw, full period over the
 * 64-bit counter. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ull

static _Thread_local uint64_t thread_state;
static _Thread_local bool thread_seeded;

static uint64_t thread_draw(void)
{
	if (!thread_seeded) {
		uint64_t seed = 0;

		if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != (ssize_t)sizeof(seed)) {
			struct timespec ts;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^
			       ((uint64_t)(uintptr_t)&ts << 16) ^ (uint64_t)gettid();
		}
		thread_state = seed;
		thread_seeded = true;
	}
	thread_state += GOLDEN_GAMMA;
	return mix64(thread_state);
}

HELPER_FN(helper_get_prandom_u32)
{
	struct uebpf_env *env = rc->env;

	UNUSED_ARGS5;
	if (env && env->has_seed)
		return (uint32_t)mix64(__atomic_add_fetch(&env->prandom_state, GOLDEN_GAMMA,
							  __ATOMIC_RELAXED));
	return (uint32_t)thread_draw();
}

HELPER_FN(helper_get_smp_processor_id)
{
	int cpu = sched_getcpu();

	UNUSED_ARGS5;
	(void)rc;
	return cpu < 0 ? 0 : (uint32_t)cpu;
}

HELPER_FN(helper_get_numa_node_id)
{
	unsigned cpu = 0, node = 0;

	UNUSED_ARGS5;
	(void)rc;
	if (getcpu(&cpu, &node))
		return 0;
	return node;
}

/* The address of the probed function: hooks that know it (uprobes, the
 * function hooks) pass it in prog_run_extra; 0 otherwise. */
HELPER_FN(helper_get_func_ip)
{
	UNUSED_ARGS5;
	return rc->func_ip;
}

/* The cookie the host gave when attaching the program (as
 * bpf_link_create's cookie); 0 when none. */
HELPER_FN(helper_get_attach_cookie)
{
	UNUSED_ARGS5;
	return rc->attach_cookie;
}
