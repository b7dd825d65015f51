/* SPDX-License-Identifier: MIT */
/*
 * bpf_get_current_pid_tgid, bpf_get_current_uid_gid,
 * bpf_get_current_comm: the calling thread of the host is the "current
 * task" (a program runs in the thread that called uebpf_prog_run).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "helpers/helpers_internal.h"

/* tgid (the process id) in the upper half, the thread id in the lower. */
HELPER_FN(helper_get_current_pid_tgid)
{
	UNUSED_ARGS5;
	(void)rc;
	return (uint64_t)(uint32_t)getpid() << 32 | (uint32_t)gettid();
}

/* gid in the upper half, uid in the lower. */
HELPER_FN(helper_get_current_uid_gid)
{
	UNUSED_ARGS5;
	(void)rc;
	return (uint64_t)(uint32_t)getgid() << 32 | (uint32_t)getuid();
}

/* The thread's name (the kernel's task->comm, 16 bytes with its NUL),
 * truncated to size - 1 characters, NUL-terminated and zero-padded to
 * `size` bytes as strscpy_pad does. */
HELPER_FN(helper_get_current_comm)
{
	char comm[16] = "";
	char *buf = helper_ptr(r1);
	size_t size = (size_t)r2, len;

	(void)r3, (void)r4, (void)r5;
	if (size == 0)
		return 0;
	if (!helper_mem_ok(rc, r1, r2, true))
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
			"bpf_get_current_comm: buffer [0x%llx, +%llu) is not memory the program may "
			"write", (unsigned long long)r1, (unsigned long long)r2);
	if (prctl(PR_GET_NAME, comm, 0, 0, 0)) {
		memset(buf, 0, size);
		return (uint64_t)(int64_t)-EINVAL;
	}
	comm[sizeof(comm) - 1] = '\0';
	len = strnlen(comm, sizeof(comm));
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, comm, len);
	memset(buf + len, 0, size - len);
	return 0;
}
