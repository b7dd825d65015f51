/* SPDX-License-Identifier: MIT */
/*
 * The helper environment (<uebpf/helpers.h>): trace sink, random seed and
 * the timers programs arm (their logic is in h_timer.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "common/error.h"
#include "helpers/helpers_internal.h"

#define OPTS_HAS(opts, field) \
	((opts) && (opts)->sz >= offsetof(typeof(*(opts)), field) + sizeof((opts)->field))

int uebpf_env_create(const struct uebpf_env_opts *opts, struct uebpf_env **out,
		     struct uebpf_error *err)
{
	struct uebpf_env *env;
	size_t i;

	if (!out)
		return uebpf_err(err, -EINVAL, "uebpf_env_create: out is NULL");
	*out = NULL;
	if (opts && opts->sz < sizeof(opts->sz))
		return uebpf_err(err, -EINVAL,
				 "uebpf_env_create: opts->sz is %zu; set it to sizeof(struct uebpf_env_opts)",
				 opts->sz);
	for (i = sizeof(*opts); opts && i < opts->sz; i++)
		if (((const unsigned char *)opts)[i])
			return uebpf_err(err, -EINVAL,
					 "uebpf_env_create: opts has non-zero fields this library does not "
					 "know (byte %zu of %zu); upgrade the library", i, opts->sz);
	env = calloc(1, sizeof(*env));
	if (!env)
		return uebpf_err(err, -ENOMEM, "uebpf_env_create: out of memory");
	pthread_mutex_init(&env->lock, NULL);
	pthread_cond_init(&env->timer_done, NULL);
	if (OPTS_HAS(opts, trace_fn)) {
		env->trace_fn = opts->trace_fn;
		env->trace_ctx = OPTS_HAS(opts, trace_ctx) ? opts->trace_ctx : NULL;
	}
	if (OPTS_HAS(opts, prandom_seed) && opts->prandom_seed) {
		env->has_seed = true;
		env->prandom_state = opts->prandom_seed;
	}
	*out = env;
	return 0;
}

void uebpf_env_destroy(struct uebpf_env *env)
{
	if (!env)
		return;
	env_timers_free(env);
	pthread_cond_destroy(&env->timer_done);
	pthread_mutex_destroy(&env->lock);
	free(env);
}

void env_trace(struct uebpf_env *env, const char *msg, size_t len)
{
	if (!env->trace_fn)
		return;
	/* One message at a time, so lines from several threads never mix. */
	pthread_mutex_lock(&env->lock);
	env->trace_fn(env->trace_ctx, msg, len);
	pthread_mutex_unlock(&env->lock);
}
