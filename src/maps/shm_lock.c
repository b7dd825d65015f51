/* SPDX-License-Identifier: MIT */
#include "maps/shm_lock.h"

#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SHM_LOCK_SPINS 128

static long futex(uint32_t *word, int op, uint32_t val, const struct timespec *timeout)
{
	return syscall(SYS_futex, word, op, val, timeout, NULL, 0);
}

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

void shm_lock_slow(struct shm_lock *lock)
{
	uint32_t seen;
	int i;

	/* Holders keep the lock for a handful of instructions: spinning first
	 * avoids a syscall pair in the common contended case. */
	for (i = 0; i < SHM_LOCK_SPINS; i++) {
		cpu_relax();
		if (__atomic_load_n(&lock->word, __ATOMIC_RELAXED) == 0 && shm_trylock(lock))
			return;
	}
	seen = __atomic_exchange_n(&lock->word, 2, __ATOMIC_ACQUIRE);
	while (seen != 0) {
		futex(&lock->word, FUTEX_WAIT, 2, NULL);
		seen = __atomic_exchange_n(&lock->word, 2, __ATOMIC_ACQUIRE);
	}
}

void shm_lock_wake(struct shm_lock *lock)
{
	futex(&lock->word, FUTEX_WAKE, 1, NULL);
}

int shm_futex_wait(uint32_t *word, uint32_t expected, int timeout_ms)
{
	struct timespec ts, *tsp = NULL;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		tsp = &ts;
	}
	if (futex(word, FUTEX_WAIT, expected, tsp) == 0)
		return 0;
	if (errno == EAGAIN)
		return 0;
	return -errno;
}

void shm_futex_wake_all(uint32_t *word)
{
	futex(word, FUTEX_WAKE, INT_MAX, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t shm_deadline_ms(int timeout_ms)
{
	return timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
}

int shm_wait_seq(uint32_t *seq, uint32_t *waiters, uint32_t seen, int64_t deadline_ms)
{
	int64_t left = deadline_ms < 0 ? -1 : deadline_ms - now_ms();
	int ret;

	if (deadline_ms >= 0 && left <= 0)
		return -ETIMEDOUT;
	__atomic_fetch_add(waiters, 1, __ATOMIC_SEQ_CST);
	ret = shm_futex_wait(seq, seen, left > INT_MAX ? INT_MAX : (int)left);
	__atomic_fetch_sub(waiters, 1, __ATOMIC_SEQ_CST);
	return ret;
}
