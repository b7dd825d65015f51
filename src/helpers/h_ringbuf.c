/* SPDX-License-Identifier: MIT */
/*
 * Ring buffer helpers: bpf_ringbuf_output, _reserve, _submit, _discard,
 * _query, on the ring buffer map (src/maps/ringbuf.c has the kernel's
 * return values: reserve gives NULL when the ring is full, the size is 0
 * or too big, or flags are not 0; output -EAGAIN when full, -EINVAL for
 * bad flags).
 *
 * A reservation is memory the program writes directly, so in checked runs
 * reserve grants it (run_ctx_grant) and submit/discard withdraw the grant.
 * The run remembers open reservations: submit/discard accept only those,
 * and the ones a program forgets are discarded when it ends (the kernel's
 * verifier refuses such programs; an unverified one must not leave the
 * consumer blocked on a busy record forever).
 */
#include <errno.h>

#include "helpers/helpers_internal.h"
#include "maps/map_internal.h"

static uint64_t bad_map(struct uebpf_run_ctx *rc, const char *helper, uint64_t value)
{
	return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
		"%s: r1 = 0x%llx is not a map the program references", helper,
		(unsigned long long)value);
}

HELPER_FN(helper_ringbuf_output)
{
	struct uebpf_map *map = helper_map(rc, r1);

	(void)r5;
	if (!map)
		return bad_map(rc, "bpf_ringbuf_output", r1);
	if (!helper_mem_ok(rc, r2, r3, false))
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
			"bpf_ringbuf_output: data [0x%llx, +%llu) is not memory the program may read",
			(unsigned long long)r2, (unsigned long long)r3);
	return (uint64_t)map_ringbuf_output(map, helper_ptr(r2), r3, r4);
}

HELPER_FN(helper_ringbuf_reserve)
{
	struct uebpf_map *map = helper_map(rc, r1);
	void *sample;

	(void)r4, (void)r5;
	if (!map)
		return bad_map(rc, "bpf_ringbuf_reserve", r1);
	if (rc->nr_ringbuf_pending == RUN_CTX_MAX_GRANTS)
		return 0; /* as if the ring were full */
	sample = map_ringbuf_reserve(map, r2, r3);
	if (!sample)
		return 0;
	if (rc->checked && run_ctx_grant(rc, sample, (size_t)r2, true)) {
		map_ringbuf_discard(sample, BPF_RB_NO_WAKEUP);
		return 0;
	}
	rc->ringbuf_pending[rc->nr_ringbuf_pending++] = sample;
	return (uintptr_t)sample;
}

/* Forgets the open reservation `sample`; false when there is none. */
static bool take_pending(struct uebpf_run_ctx *rc, void *sample)
{
	size_t i;

	for (i = 0; i < rc->nr_ringbuf_pending; i++) {
		if (rc->ringbuf_pending[i] != sample)
			continue;
		rc->ringbuf_pending[i] = rc->ringbuf_pending[--rc->nr_ringbuf_pending];
		if (rc->checked)
			run_ctx_revoke(rc, sample);
		return true;
	}
	return false;
}

static uint64_t commit(struct uebpf_run_ctx *rc, const char *helper, uint64_t sample,
		       uint64_t flags, bool discard)
{
	if (!take_pending(rc, helper_ptr(sample)) && rc->checked)
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
			"%s: 0x%llx is not a ring buffer sample this run reserved and has not "
			"submitted or discarded yet", helper, (unsigned long long)sample);
	if (discard)
		map_ringbuf_discard(helper_ptr(sample), flags);
	else
		map_ringbuf_submit(helper_ptr(sample), flags);
	return 0;
}

HELPER_FN(helper_ringbuf_submit)
{
	(void)r3, (void)r4, (void)r5;
	return commit(rc, "bpf_ringbuf_submit", r1, r2, false);
}

HELPER_FN(helper_ringbuf_discard)
{
	(void)r3, (void)r4, (void)r5;
	return commit(rc, "bpf_ringbuf_discard", r1, r2, true);
}

/* BPF_RB_AVAIL_DATA, _RING_SIZE, _CONS_POS, _PROD_POS; 0 for other flags. */
HELPER_FN(helper_ringbuf_query)
{
	struct uebpf_map *map = helper_map(rc, r1);

	(void)r3, (void)r4, (void)r5;
	if (!map)
		return bad_map(rc, "bpf_ringbuf_query", r1);
	return map_ringbuf_query(map, r2);
}

void helper_ringbuf_run_end(struct uebpf_run_ctx *rc)
{
	while (rc->nr_ringbuf_pending)
		map_ringbuf_discard(rc->ringbuf_pending[--rc->nr_ringbuf_pending], 0);
}
