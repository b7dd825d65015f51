/* SPDX-License-Identifier: MIT */
/*
 * Messages for programs stopped by a checked engine. Shared by the
 * interpreter and the JIT so a violation reads the same whichever engine
 * caught it: program, instruction index and disassembly, what happened, and
 * for bad accesses the memory the program was allowed to touch.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/error.h"
#include "prog/prog.h"

/* "program 'P' insn N (text)" */
static int where(const struct uebpf_run_ctx *rc, size_t insn, char *buf, size_t len)
{
	const struct uebpf_prog *prog = rc->prog;
	char text[96] = "?";

	if (prog && insn < prog->insn_cnt)
		isa_format_insn(prog->insns, prog->insn_cnt, insn, text, sizeof(text));
	return snprintf(buf, len, "program '%s' insn %zu (%s)",
			prog && prog->name ? prog->name : "", insn, text);
}

/* Appends to buf[*used..len), keeping *used <= len. */
static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*used >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *used, len - *used, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used = *used + (size_t)n < len ? *used + (size_t)n : len;
}

static void append_regions(char *buf, size_t len, size_t *used, const char *what,
			   const struct uebpf_region *regions, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		append(buf, len, used, "; %s %zu [%p, +%zu) %s", what, i, regions[i].addr,
		       regions[i].len, regions[i].writable ? "rw" : "read-only");
}

int run_ctx_fault_access(struct uebpf_run_ctx *rc, struct uebpf_error *err,
			 size_t insn, uint64_t addr, uint32_t size, bool write)
{
	char msg[UEBPF_ERRMSG_MAX];
	size_t used = 0;
	bool readable = write && run_ctx_access_ok(rc, addr, size, false);

	rc->fault_insn = insn;
	used = (size_t)where(rc, insn, msg, sizeof(msg));
	if (used > sizeof(msg))
		used = sizeof(msg);
	append(msg, sizeof(msg), &used, ": %s of %u bytes at 0x%llx %s",
	       write ? "write" : "read", size, (unsigned long long)addr,
	       readable ? "hits read-only memory" : "is outside the memory the program may access");
	append(msg, sizeof(msg), &used, "; allowed: stack [0x%llx, 0x%llx) rw",
	       (unsigned long long)rc->stack_lo, (unsigned long long)rc->stack_hi);
	if (rc->mem_hi > rc->mem_lo)
		append(msg, sizeof(msg), &used, "; input memory [0x%llx, 0x%llx) %s",
		       (unsigned long long)rc->mem_lo, (unsigned long long)rc->mem_hi,
		       rc->mem_writable ? "rw" : "read-only");
	else
		append(msg, sizeof(msg), &used, "; no input memory");
	append_regions(msg, sizeof(msg), &used, "region", rc->regions, rc->nr_regions);
	if (rc->prog)
		append_regions(msg, sizeof(msg), &used, "static region",
			       rc->prog->static_regions, rc->prog->nr_static_regions);
	append_regions(msg, sizeof(msg), &used, "helper grant", rc->grants, rc->nr_grants);
	return uebpf_err(err, -EFAULT, "%s", msg);
}

int run_ctx_fault_budget(struct uebpf_run_ctx *rc, struct uebpf_error *err,
			 size_t insn, uint64_t budget)
{
	char at[UEBPF_ERRMSG_MAX];

	rc->fault_insn = insn;
	where(rc, insn, at, sizeof(at));
	return uebpf_err(err, -E2BIG,
			 "%s: instruction budget exhausted: the program ran more than %llu "
			 "instructions (an endless loop?); raise uebpf_run_opts.insn_budget "
			 "if it really needs more", at, (unsigned long long)budget);
}

int run_ctx_fault(struct uebpf_run_ctx *rc, struct uebpf_error *err, int code,
		  size_t insn, const char *fmt, ...)
{
	char at[UEBPF_ERRMSG_MAX / 2], what[UEBPF_ERRMSG_MAX];
	va_list ap;

	rc->fault_insn = insn;
	where(rc, insn, at, sizeof(at));
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return uebpf_err(err, code, "%s: %s", at, what);
}

int run_ctx_fault_misaligned(struct uebpf_run_ctx *rc, struct uebpf_error *err,
			     size_t insn, uint64_t addr, uint32_t size)
{
	return run_ctx_fault(rc, err, -EFAULT, insn,
			     "misaligned atomic access of %u bytes at 0x%llx: atomic "
			     "operations need an address that is a multiple of their size",
			     size, (unsigned long long)addr);
}

int run_ctx_fault_depth(struct uebpf_run_ctx *rc, struct uebpf_error *err, size_t insn)
{
	return run_ctx_fault(rc, err, -E2BIG, insn,
			     "call nesting exceeds %d frames (the entry frame included): "
			     "reduce the depth of local calls", UEBPF_MAX_CALL_DEPTH);
}

int run_ctx_fault_callx(struct uebpf_run_ctx *rc, struct uebpf_error *err, size_t insn,
			uint64_t target)
{
	return run_ctx_fault(rc, err, -EFAULT, insn,
			     "callx target 0x%llx is neither a helper id in the program's "
			     "helper set nor the code address of a sub-program",
			     (unsigned long long)target);
}
