/* SPDX-License-Identifier: MIT */
/* The first 8 bytes of a tracepoint record (common_type, common_pid, ...)
 * are not readable by programs.
 * expect: refuse
 * reason: invalid context access
 * at: common_pid
 */
#include "common.h"

struct sys_enter_write_args {
	unsigned short common_type;
	unsigned char common_flags;
	unsigned char common_preempt_count;
	int common_pid;
	long syscall_nr;
	unsigned long fd;
	const char *buf;
	unsigned long count;
};

SEC("tracepoint/syscalls/sys_enter_write")
int ctx_tracepoint_common_fields(struct sys_enter_write_args *args)
{
	return args->common_pid == 1 && args->fd == 2;
}
