/* SPDX-License-Identifier: MIT */
/*
 * A 4-byte lock that lives in map shared memory and works across processes
 * (futex without FUTEX_PRIVATE_FLAG, keyed on the shared page). Small enough
 * to give every hash bucket its own. Critical sections in the map code are
 * short and never call out to user code, so a plain futex mutex (0 free,
 * 1 held, 2 held with waiters) is enough.
 */
#ifndef UEBPF_MAPS_SHM_LOCK_H
#define UEBPF_MAPS_SHM_LOCK_H

#include <stdbool.h>
#include <stdint.h>

struct shm_lock {
	uint32_t word;
};

void shm_lock_slow(struct shm_lock *lock);
void shm_lock_wake(struct shm_lock *lock);

static inline bool shm_trylock(struct shm_lock *lock)
{
	uint32_t expected = 0;

	return __atomic_compare_exchange_n(&lock->word, &expected, 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void shm_lock(struct shm_lock *lock)
{
	if (!shm_trylock(lock))
		shm_lock_slow(lock);
}

static inline void shm_unlock(struct shm_lock *lock)
{
	if (__atomic_exchange_n(&lock->word, 0, __ATOMIC_RELEASE) == 2)
		shm_lock_wake(lock);
}

/* Futex helpers on any shared 32-bit word (ring buffer wake-ups). */
/* Waits while *word == expected; timeout_ms < 0 waits forever. Returns 0,
 * -ETIMEDOUT or -EINTR. */
int shm_futex_wait(uint32_t *word, uint32_t expected, int timeout_ms);
void shm_futex_wake_all(uint32_t *word);
/* Deadline on CLOCK_MONOTONIC for a timeout (-1 when timeout_ms < 0). */
int64_t shm_deadline_ms(int timeout_ms);
/* Sleeps until *seq differs from `seen` or the deadline passes, counting
 * itself in *waiters so wakers know to call shm_futex_wake_all. Returns 0
 * (woken or changed), -ETIMEDOUT or -EINTR. */
int shm_wait_seq(uint32_t *seq, uint32_t *waiters, uint32_t seen, int64_t deadline_ms);

#endif
