/* SPDX-License-Identifier: MIT */
/*
 * bpf_timer_init, bpf_timer_set_callback, bpf_timer_start,
 * bpf_timer_cancel, and the host side that fires timers
 * (uebpf_env_run_timers, see <uebpf/helpers.h> for the model).
 *
 * A struct bpf_timer (16 bytes in a map value) names a timer record of the
 * run's environment: its first word holds the record's cookie. The record
 * is found by the timer's address *and* the cookie, so a program cannot
 * forge a timer by writing the word, and a map element that was deleted
 * and created again at the same address starts uninitialised (its value
 * was overwritten), as in the kernel where deleting an element frees its
 * timer.
 *
 * Return values are the kernel's: init -EBUSY (already initialised),
 * -EINVAL (flags other than a clock id among CLOCK_REALTIME,
 * CLOCK_MONOTONIC, CLOCK_BOOTTIME, or the timer is not inside a value of
 * `map`); set_callback/start/cancel -EINVAL on an uninitialised timer;
 * start -EINVAL without a callback or with flags other than
 * BPF_F_TIMER_ABS | BPF_F_TIMER_CPU_PIN; cancel 1 when the timer was armed,
 * 0 when not, -EDEADLK from the timer's own callback. Without an
 * environment all four return -EOPNOTSUPP.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/error.h"
#include "helpers/helpers_internal.h"
#include "interp/interp.h"
#include "maps/map_internal.h"

#define TIMER_SIZE 16   /* sizeof(struct bpf_timer) */
#define TIMER_F_ABS 1u   /* BPF_F_TIMER_ABS */
#define TIMER_F_CPU_PIN 2u /* BPF_F_TIMER_CPU_PIN: no meaning here */
#define MAX_CLOCKS 16
#define MAX_KEY_COPY 512  /* keys of maps holding timers (hash keys are small) */

struct env_timer {
	uint64_t *addr;                 /* the struct bpf_timer */
	uint64_t cookie;                /* addr[0] while the record owns it */
	struct uebpf_map *map;
	void *value;                    /* the map value holding the timer */
	uint8_t *key;                   /* copy of the element's key */
	uint32_t key_size;
	clockid_t clock;
	const struct uebpf_prog *prog;  /* set_callback's program */
	uint64_t callback;              /* code address, 0: none */
	bool checked;                   /* run the callback checked */
	bool jit;                       /* ... in the JIT, as its setter ran */
	bool armed;
	uint64_t expires;               /* ns on `clock` */
	bool running;
	pthread_t runner;
};

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* The record owning the timer at `addr`, NULL when uninitialised. Called
 * with env->lock held. */
static struct env_timer *find_timer(struct uebpf_env *env, const uint64_t *addr)
{
	uint64_t cookie = __atomic_load_n(&addr[0], __ATOMIC_RELAXED);
	size_t i;

	for (i = 0; i < env->nr_timers; i++) {
		struct env_timer *t = env->timers[i];

		if (t && t->addr == addr && t->cookie == cookie)
			return t;
	}
	return NULL;
}

static uint64_t bad_timer(struct uebpf_run_ctx *rc, const char *helper, uint64_t addr)
{
	return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
		"%s: 0x%llx is not an 8-byte aligned struct bpf_timer (16 bytes) the program "
		"may write", helper, (unsigned long long)addr);
}

static bool timer_arg_ok(const struct uebpf_run_ctx *rc, uint64_t addr)
{
	if (!rc->checked)
		return addr != 0;
	return !(addr & 7) && run_ctx_access_ok(rc, addr, TIMER_SIZE, true);
}

/* ----------------------------------------------------------- bpf_timer_init */

struct find_value {
	uintptr_t timer;
	uint8_t *key;       /* receives a copy: the key may live on the map code's stack */
	void *value;
};

static int find_value_fn(struct uebpf_map *map, const void *key, void *value, void *arg)
{
	struct find_value *fv = arg;
	uintptr_t v = (uintptr_t)value;

	if (fv->timer >= v && fv->timer - v + TIMER_SIZE <= map->value_size) {
		memcpy(fv->key, key, map->key_size);
		fv->value = value;
		return 1;
	}
	return 0;
}

static struct env_timer *new_record(struct uebpf_env *env)
{
	struct env_timer *t = calloc(1, sizeof(*t));
	size_t i;

	if (!t)
		return NULL;
	for (i = 0; i < env->nr_timers; i++)
		if (!env->timers[i]) {
			env->timers[i] = t;
			return t;
		}
	if (env->nr_timers == env->cap_timers) {
		size_t cap = env->cap_timers ? env->cap_timers * 2 : 16;
		struct env_timer **grown = realloc(env->timers, cap * sizeof(*grown));

		if (!grown) {
			free(t);
			return NULL;
		}
		env->timers = grown;
		env->cap_timers = cap;
	}
	env->timers[env->nr_timers++] = t;
	return t;
}

HELPER_FN(helper_timer_init)
{
	struct uebpf_env *env = rc->env;
	struct uebpf_map *map = helper_map(rc, r2);
	uint64_t *addr = helper_ptr(r1), flags = r3;
	struct find_value fv = { (uintptr_t)r1, NULL, NULL };
	uint8_t key[MAX_KEY_COPY];
	int clock = (int)(flags & 0xf);
	struct env_timer *t;
	size_t i;

	(void)r4, (void)r5;
	if (!timer_arg_ok(rc, r1))
		return bad_timer(rc, "bpf_timer_init", r1);
	if (!map)
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
			"bpf_timer_init: r2 = 0x%llx is not a map the program references",
			(unsigned long long)r2);
	if (!env)
		return (uint64_t)(int64_t)-EOPNOTSUPP;
	if (flags >= MAX_CLOCKS ||
	    (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME && clock != CLOCK_BOOTTIME))
		return (uint64_t)(int64_t)-EINVAL;
	/* The callback receives the element's key: find the element. */
	if (map->key_size > sizeof(key))
		return (uint64_t)(int64_t)-EINVAL;
	fv.key = key;
	map_for_each_elem(map, find_value_fn, &fv);
	if (!fv.value)
		return (uint64_t)(int64_t)-EINVAL;

	pthread_mutex_lock(&env->lock);
	if (find_timer(env, addr)) {
		pthread_mutex_unlock(&env->lock);
		return (uint64_t)(int64_t)-EBUSY;
	}
	/* A stale record of a value that was replaced: reuse it. */
	t = NULL;
	for (i = 0; i < env->nr_timers; i++)
		if (env->timers[i] && env->timers[i]->addr == addr && !env->timers[i]->running) {
			t = env->timers[i];
			free(t->key);
			memset(t, 0, sizeof(*t));
			break;
		}
	if (!t)
		t = new_record(env);
	if (t)
		t->key = malloc(map->key_size ? map->key_size : 1);
	if (!t || !t->key) {
		if (t) {
			for (i = 0; i < env->nr_timers; i++)
				if (env->timers[i] == t)
					env->timers[i] = NULL;
			free(t);
		}
		pthread_mutex_unlock(&env->lock);
		return (uint64_t)(int64_t)-ENOMEM;
	}
	memcpy(t->key, key, map->key_size);
	t->key_size = map->key_size;
	t->addr = addr;
	t->map = map;
	t->value = fv.value;
	t->clock = clock;
	/* Unique per environment and never 0 (0 is what a fresh value holds). */
	t->cookie = ++env->cookie_next ^ ((uint64_t)(uintptr_t)env << 16);
	if (!t->cookie)
		t->cookie = ++env->cookie_next;
	__atomic_store_n(&addr[0], t->cookie, __ATOMIC_RELAXED);
	__atomic_store_n(&addr[1], 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&env->lock);
	return 0;
}

/* ------------------------------------------------ set_callback, start, cancel */

HELPER_FN(helper_timer_set_callback)
{
	struct uebpf_env *env = rc->env;
	struct env_timer *t;
	size_t idx;

	(void)r3, (void)r4, (void)r5;
	if (!timer_arg_ok(rc, r1))
		return bad_timer(rc, "bpf_timer_set_callback", r1);
	if (!env)
		return (uint64_t)(int64_t)-EOPNOTSUPP;
	if (!prog_code_addr_index(rc->prog, r2, &idx) || !interp_is_func_entry(rc->prog, idx))
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
			"bpf_timer_set_callback: 0x%llx is not the code address of a sub-program",
			(unsigned long long)r2);
	pthread_mutex_lock(&env->lock);
	t = find_timer(env, helper_ptr(r1));
	if (t) {
		t->prog = rc->prog;
		t->callback = r2;
		t->checked = rc->checked;
		t->jit = rc->engine == RUN_CTX_ENGINE_JIT;
	}
	pthread_mutex_unlock(&env->lock);
	return t ? 0 : (uint64_t)(int64_t)-EINVAL;
}

HELPER_FN(helper_timer_start)
{
	struct uebpf_env *env = rc->env;
	struct env_timer *t;
	int64_t ret = 0;

	(void)r4, (void)r5;
	if (!timer_arg_ok(rc, r1))
		return bad_timer(rc, "bpf_timer_start", r1);
	if (!env)
		return (uint64_t)(int64_t)-EOPNOTSUPP;
	if (r3 & ~(uint64_t)(TIMER_F_ABS | TIMER_F_CPU_PIN))
		return (uint64_t)(int64_t)-EINVAL;
	pthread_mutex_lock(&env->lock);
	t = find_timer(env, helper_ptr(r1));
	if (!t || !t->callback) {
		ret = -EINVAL;
	} else {
		t->expires = (r3 & TIMER_F_ABS) ? r2 : now_ns(t->clock) + r2;
		t->armed = true;
	}
	pthread_mutex_unlock(&env->lock);
	return (uint64_t)ret;
}

HELPER_FN(helper_timer_cancel)
{
	struct uebpf_env *env = rc->env;
	struct env_timer *t;
	int64_t ret;

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (!timer_arg_ok(rc, r1))
		return bad_timer(rc, "bpf_timer_cancel", r1);
	if (!env)
		return (uint64_t)(int64_t)-EOPNOTSUPP;
	pthread_mutex_lock(&env->lock);
	t = find_timer(env, helper_ptr(r1));
	if (!t) {
		ret = -EINVAL;
	} else if (t->running && pthread_equal(t->runner, pthread_self())) {
		ret = -EDEADLK;
	} else {
		ret = t->armed;
		t->armed = false;
		/* As hrtimer_cancel: wait for a callback running elsewhere. */
		while (t->running)
			pthread_cond_wait(&env->timer_done, &env->lock);
	}
	pthread_mutex_unlock(&env->lock);
	return (uint64_t)ret;
}

/* ------------------------------------------------------------- host side */

int uebpf_env_run_timers(struct uebpf_env *env, struct uebpf_error *err)
{
	int count = 0, ret = 0;
	size_t i;

	if (!env)
		return uebpf_err(err, -EINVAL, "uebpf_env_run_timers: env is NULL");
	pthread_mutex_lock(&env->lock);
	/* One pass: a callback that re-arms its timer for "now" runs at the
	 * next tick, not in a loop here. */
	for (i = 0; i < env->nr_timers && !ret; i++) {
		struct env_timer *t = env->timers[i];
		uint64_t args[5], r0;
		struct uebpf_region key_region;

		if (!t || !t->armed || t->running || now_ns(t->clock) < t->expires)
			continue;
		t->armed = false;
		t->running = true;
		t->runner = pthread_self();
		args[0] = (uintptr_t)t->map;
		args[1] = (uintptr_t)t->key;
		args[2] = (uintptr_t)t->value;
		args[3] = args[4] = 0;
		key_region.addr = t->key;
		key_region.len = t->key_size;
		key_region.writable = false;
		pthread_mutex_unlock(&env->lock);
		ret = prog_run_callback(t->prog, t->callback, args, t->checked, t->jit, env,
					&key_region, 1,
					&r0, err);
		pthread_mutex_lock(&env->lock);
		t->running = false;
		pthread_cond_broadcast(&env->timer_done);
		if (!ret)
			count++;
	}
	pthread_mutex_unlock(&env->lock);
	return ret ? ret : count;
}

uint64_t uebpf_env_next_timer_ns(struct uebpf_env *env)
{
	uint64_t best = UINT64_MAX;
	size_t i;

	if (!env)
		return UINT64_MAX;
	pthread_mutex_lock(&env->lock);
	for (i = 0; i < env->nr_timers; i++) {
		const struct env_timer *t = env->timers[i];
		uint64_t now, left;

		if (!t || !t->armed)
			continue;
		now = now_ns(t->clock);
		left = t->expires > now ? t->expires - now : 0;
		if (left < best)
			best = left;
	}
	pthread_mutex_unlock(&env->lock);
	return best;
}

void uebpf_env_cancel_timers(struct uebpf_env *env)
{
	size_t i;

	if (!env)
		return;
	pthread_mutex_lock(&env->lock);
	for (i = 0; i < env->nr_timers; i++)
		if (env->timers[i])
			env->timers[i]->armed = false;
	for (i = 0; i < env->nr_timers; i++) {
		struct env_timer *t = env->timers[i];

		if (!t)
			continue;
		while (t->running)
			pthread_cond_wait(&env->timer_done, &env->lock);
		free(t->key);
		free(t);
		env->timers[i] = NULL;
	}
	env->nr_timers = 0;
	pthread_mutex_unlock(&env->lock);
}

void env_timers_free(struct uebpf_env *env)
{
	uebpf_env_cancel_timers(env);
	free(env->timers);
	env->timers = NULL;
	env->cap_timers = 0;
}
