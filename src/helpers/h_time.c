/* SPDX-License-Identifier: MIT */
/*
 * Time helpers: bpf_ktime_get_ns (CLOCK_MONOTONIC), bpf_ktime_get_boot_ns
 * (CLOCK_BOOTTIME), bpf_ktime_get_coarse_ns (CLOCK_MONOTONIC_COARSE), and
 * bpf_jiffies64, all read from the host's clocks as the kernel reads its
 * own.
 */
#include <time.h>

#include "helpers/helpers_internal.h"

/* The kernel's tick rate is a build option (CONFIG_HZ) user space cannot
 * read; 250 is the default of the common distributions. */
#define JIFFIES_HZ 250u
/* jiffies start 5 minutes before the 32-bit counter wraps, as the kernel's
 * INITIAL_JIFFIES, so programs see the same kind of values. */
#define INITIAL_JIFFIES ((uint64_t)(uint32_t)(-300 * (int32_t)JIFFIES_HZ))

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

HELPER_FN(helper_ktime_get_ns)
{
	UNUSED_ARGS5;
	(void)rc;
	return clock_ns(CLOCK_MONOTONIC);
}

HELPER_FN(helper_ktime_get_boot_ns)
{
	UNUSED_ARGS5;
	(void)rc;
	return clock_ns(CLOCK_BOOTTIME);
}

HELPER_FN(helper_ktime_get_coarse_ns)
{
	UNUSED_ARGS5;
	(void)rc;
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

HELPER_FN(helper_jiffies64)
{
	UNUSED_ARGS5;
	(void)rc;
	return INITIAL_JIFFIES + clock_ns(CLOCK_MONOTONIC_COARSE) / (1000000000ull / JIFFIES_HZ);
}
