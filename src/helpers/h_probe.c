/* SPDX-License-Identifier: MIT */
/*
 * bpf_probe_read{,_user,_kernel} and their _str forms.
 *
 * In the kernel these read any address and turn a page fault into
 * -EFAULT. uebpf has no fault-tolerant copy over arbitrary host memory and
 * must not let a program read what the host did not offer, so the source
 * must lie in memory the run may read (run_ctx_access_ok: the stack, the
 * input memory, the run's regions, the program's map values, helper
 * grants), in checked and unchecked runs alike. Otherwise the helpers do
 * what the kernel does on a fault: zero the whole destination and return
 * -EFAULT. The user/kernel distinction does not exist in one address
 * space: the three forms are the same.
 */
#include <errno.h>
#include <string.h>

#include "helpers/helpers_internal.h"

static uint64_t bad_dst(struct uebpf_run_ctx *rc, const char *helper, uint64_t dst, uint32_t size)
{
	return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
		"%s: destination [0x%llx, +%u) is not memory the program may write", helper,
		(unsigned long long)dst, size);
}

/* bpf_probe_read(dst, size, unsafe_ptr): 0, or -EFAULT with dst zeroed. */
HELPER_FN(helper_probe_read)
{
	uint32_t size = (uint32_t)r2;

	(void)r4, (void)r5;
	if (size == 0)
		return 0;
	if (!helper_mem_ok(rc, r1, size, true))
		return bad_dst(rc, "bpf_probe_read", r1, size);
	if (!run_ctx_access_ok(rc, r3, size, false)) {
		memset(helper_ptr(r1), 0, size);
		return (uint64_t)(int64_t)-EFAULT;
	}
	memmove(helper_ptr(r1), helper_ptr(r3), size);
	return 0;
}

/* bpf_probe_read_str(dst, size, unsafe_ptr): copies up to size - 1 bytes
 * and the NUL; returns the length copied including the NUL (size when
 * truncated, with dst[size - 1] = 0), 0 for size 0, or -EFAULT with dst
 * zeroed when a byte before the NUL is not readable. */
HELPER_FN(helper_probe_read_str)
{
	uint32_t size = (uint32_t)r2, i;
	uint8_t *dst = helper_ptr(r1);
	const uint8_t *src = helper_ptr(r3);

	(void)r4, (void)r5;
	if (size == 0)
		return 0;
	if (!helper_mem_ok(rc, r1, size, true))
		return bad_dst(rc, "bpf_probe_read_str", r1, size);
	/* Like the kernel, reads up to `size` bytes, then overwrites the last
	 * one with the NUL when there was none. */
	for (i = 0; i < size; i++) {
		if (!run_ctx_access_ok(rc, r3 + i, 1, false)) {
			memset(dst, 0, size);
			return (uint64_t)(int64_t)-EFAULT;
		}
		dst[i] = src[i];
		if (!src[i])
			return i + 1;
	}
	dst[size - 1] = 0;
	return size;
}
