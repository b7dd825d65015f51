/* SPDX-License-Identifier: MIT */
/*
 * bpf_spin_lock / bpf_spin_unlock on a struct bpf_spin_lock (4 bytes, 0 =
 * unlocked) inside a map value. Map values live in shared memory, so the
 * lock is a plain atomic word that works across threads and processes:
 * test-and-test-and-set, yielding the CPU after a while so a holder that
 * was preempted can finish (programs hold these locks only for a few
 * instructions: the kernel's verifier allows no helper calls meanwhile).
 *
 * Checked runs also enforce what the verifier would: the lock must be an
 * aligned word the program may write, one lock at a time, unlock only the
 * held lock; a lock still held when the program ends is released.
 */
#include <errno.h>
#include <sched.h>

#include "helpers/helpers_internal.h"

#define SPINS_BEFORE_YIELD 128

static void lock_word(uint32_t *word)
{
	unsigned spins = 0;

	while (__atomic_exchange_n(word, 1u, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(word, __ATOMIC_RELAXED)) {
			if (++spins % SPINS_BEFORE_YIELD == 0)
				sched_yield();
			else
				__builtin_ia32_pause();
		}
	}
}

static void unlock_word(uint32_t *word)
{
	__atomic_store_n(word, 0u, __ATOMIC_RELEASE);
}

HELPER_FN(helper_spin_lock)
{
	uint32_t *word = helper_ptr(r1);

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (rc->checked) {
		if ((r1 & 3) || !run_ctx_access_ok(rc, r1, 4, true))
			return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
				"bpf_spin_lock: 0x%llx is not an aligned 4-byte lock the program may "
				"write (a struct bpf_spin_lock in a map value)", (unsigned long long)r1);
		if (rc->lock_held)
			return (uint64_t)(int64_t)run_ctx_fail(rc, -EDEADLK,
				"bpf_spin_lock: the program already holds the lock at %p; call "
				"bpf_spin_unlock first (one lock at a time)", (void *)rc->lock_held);
	}
	lock_word(word);
	rc->lock_held = word;
	return 0;
}

HELPER_FN(helper_spin_unlock)
{
	uint32_t *word = helper_ptr(r1);

	(void)r2, (void)r3, (void)r4, (void)r5;
	if (rc->checked && rc->lock_held != word)
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EINVAL,
			"bpf_spin_unlock: the program does not hold the lock at 0x%llx",
			(unsigned long long)r1);
	rc->lock_held = NULL;
	unlock_word(word);
	return 0;
}

void helper_lock_run_end(struct uebpf_run_ctx *rc)
{
	if (rc->lock_held) {
		unlock_word(rc->lock_held);
		rc->lock_held = NULL;
	}
}
