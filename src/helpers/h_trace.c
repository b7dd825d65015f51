/* SPDX-License-Identifier: MIT */
/*
 * bpf_trace_printk (bpf_printk), bpf_trace_vprintk and bpf_snprintf.
 *
 * Formats follow the kernel's bpf_bprintf_prepare: printable ASCII only;
 * conversions %d %i %u %x %X with optional l/ll, an optional "[0 +-]" flag
 * run and a width (no precision), %c, %s, %% and the pointer forms %p,
 * %px, %pK, %ps, %pS, %pB (printed as the raw address), %pks/%pus (strings),
 * %pI4 %pi4 %pI6 %pi6 (addresses read through the pointer). Anything else,
 * or more conversions than arguments, is -EINVAL and prints nothing.
 * Memory a format reads through (%s, %pI4, ...) must be readable by the
 * run (run_ctx_access_ok); a string that is not is printed as "", an
 * address as zeros, as the kernel does on a fault.
 *
 * Trace output goes to the run's environment (uebpf_env_opts.trace_fn),
 * one message per call, truncated to 1023 bytes like the kernel's buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "helpers/helpers_internal.h"

#define BPRINTF_BUF 1024          /* MAX_BPRINTF_BUF */
#define BPRINTF_MAX_ARGS 12       /* MAX_BPRINTF_VARARGS */
#define TRACE_PRINTK_ARGS 3       /* MAX_TRACE_PRINTK_VARARGS */
#define STR_ARG_MAX 512           /* longest %s string copied */

struct out {
	char *buf;
	size_t size;      /* 0: count only */
	size_t len;       /* what the whole output needs (without the NUL) */
};

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - 1 - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void out_printf(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_printf(struct out *o, const char *fmt, ...)
{
	char tmp[2 * BPRINTF_BUF];
	size_t kept;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	/* A huge width: the text is cut, the length still counts it all. */
	kept = (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1;
	out_add(o, tmp, kept);
	o->len += (size_t)n - kept;
}

static void out_finish(struct out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = '\0';
}

static bool k_isprint_or_space(unsigned char c)
{
	return c < 0x80 && ((c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r'));
}

static bool k_ispunct(unsigned char c)
{
	return c > 0x20 && c < 0x7f && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
					 (c >= 'A' && c <= 'Z'));
}

/* The string at addr as far as the run may read it: "" unless readable up
 * to its NUL (or STR_ARG_MAX - 1 bytes). */
static void read_str(const struct uebpf_run_ctx *rc, uint64_t addr, char *dst)
{
	size_t i;

	for (i = 0; i < STR_ARG_MAX - 1; i++) {
		if (!run_ctx_access_ok(rc, addr + i, 1, false)) {
			dst[0] = '\0';
			return;
		}
		dst[i] = *(const char *)(uintptr_t)(addr + i);
		if (!dst[i])
			return;
	}
	dst[i] = '\0';
}

static void read_bytes(const struct uebpf_run_ctx *rc, uint64_t addr, uint8_t *dst, size_t n)
{
	if (run_ctx_access_ok(rc, addr, (uint32_t)n, false))
		memcpy(dst, (const void *)(uintptr_t)addr, n);
	else
		memset(dst, 0, n);
}

static void print_ip(const struct uebpf_run_ctx *rc, struct out *o, uint64_t addr, char kind,
		     char family)
{
	uint8_t a[16];
	int i;

	if (family == '4') {
		read_bytes(rc, addr, a, 4);
		if (kind == 'I')
			out_printf(o, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		else
			out_printf(o, "%03u.%03u.%03u.%03u", a[0], a[1], a[2], a[3]);
		return;
	}
	read_bytes(rc, addr, a, 16);
	for (i = 0; i < 16; i += 2) {
		if (kind == 'I' && i)
			out_add(o, ":", 1);
		out_printf(o, "%02x%02x", a[i], a[i + 1]);
	}
}

/*
 * Validates `fmt` (fmt_len bytes, a NUL at fmt[fmt_len]) against `nargs`
 * arguments and, when `o` is not NULL, prints it. Returns 0 or -EINVAL.
 */
static int bprintf(const struct uebpf_run_ctx *rc, const char *fmt, size_t fmt_len,
		   const uint64_t *args, unsigned nargs, struct out *o)
{
	unsigned spec = 0;
	size_t i;

	for (i = 0; i < fmt_len; i++) {
		char cfmt[32], str[STR_ARG_MAX];
		size_t flags_at, conv_at;
		unsigned long_count = 0;
		uint64_t arg;
		int n;

		if (!k_isprint_or_space((unsigned char)fmt[i]))
			return -EINVAL;
		if (fmt[i] != '%') {
			if (o)
				out_add(o, &fmt[i], 1);
			continue;
		}
		if (fmt[i + 1] == '%') {
			if (o)
				out_add(o, "%", 1);
			i++;
			continue;
		}
		if (spec >= nargs)
			return -EINVAL;
		arg = args[spec];
		i++;
		flags_at = i;
		while (fmt[i] == '0' || fmt[i] == '+' || fmt[i] == '-' || fmt[i] == ' ')
			i++;
		if (fmt[i] >= '1' && fmt[i] <= '9')
			while (fmt[i] >= '0' && fmt[i] <= '9')
				i++;
		/* flags and width, re-used for the host's snprintf */
		n = snprintf(cfmt, sizeof(cfmt), "%%%.*s", (int)(i - flags_at), fmt + flags_at);
		if (n < 0 || (size_t)n >= sizeof(cfmt) - 4)
			return -EINVAL;
		conv_at = i;

		if (fmt[i] == 'p') {
			char next = fmt[i + 1];

			if (next == '\0' || next == ' ' || (next >= '\t' && next <= '\r') ||
			    k_ispunct((unsigned char)next)) {
				if (o)
					out_printf(o, "%016llx", (unsigned long long)arg);
			} else if ((next == 'k' || next == 'u') && fmt[i + 2] == 's') {
				i += 2;
				if (o) {
					read_str(rc, arg, str);
					strcat(cfmt, "s");
					out_printf(o, cfmt, str);
				}
			} else if (next == 'K' || next == 'x' || next == 's' || next == 'S' ||
				   next == 'B') {
				i++;
				if (o)
					out_printf(o, next == 'x' || next == 'K' ? "%016llx" : "0x%llx",
						   (unsigned long long)arg);
			} else if ((next == 'i' || next == 'I') &&
				   (fmt[i + 2] == '4' || fmt[i + 2] == '6')) {
				if (o)
					print_ip(rc, o, arg, next, fmt[i + 2]);
				i += 2;
			} else {
				return -EINVAL;
			}
			spec++;
			continue;
		}
		if (fmt[i] == 's') {
			if (o) {
				read_str(rc, arg, str);
				strcat(cfmt, "s");
				out_printf(o, cfmt, str);
			}
			spec++;
			continue;
		}
		if (fmt[i] == 'c') {
			if (o) {
				strcat(cfmt, "c");
				out_printf(o, cfmt, (int)(unsigned char)arg);
			}
			spec++;
			continue;
		}
		while (fmt[i] == 'l' && long_count < 2) {
			long_count++;
			i++;
		}
		if (fmt[i] != 'i' && fmt[i] != 'd' && fmt[i] != 'u' && fmt[i] != 'x' && fmt[i] != 'X')
			return -EINVAL;
		(void)conv_at;
		if (o) {
			char conv[2] = { fmt[i], '\0' };
			bool is_signed = fmt[i] == 'i' || fmt[i] == 'd';

			if (long_count) {
				strcat(cfmt, "ll");
				strcat(cfmt, conv);
				if (is_signed)
					out_printf(o, cfmt, (long long)arg);
				else
					out_printf(o, cfmt, (unsigned long long)arg);
			} else {
				strcat(cfmt, conv);
				if (is_signed)
					out_printf(o, cfmt, (int)(uint32_t)arg);
				else
					out_printf(o, cfmt, (unsigned)(uint32_t)arg);
			}
		}
		spec++;
	}
	return 0;
}

/* Length of the NUL-terminated format in the first `size` bytes of the
 * program's memory at addr; -EINVAL without a NUL there, -EFAULT (run
 * failed) when a checked run may not read it. */
static long fmt_length(struct uebpf_run_ctx *rc, const char *helper, uint64_t addr,
		       uint64_t size)
{
	const char *fmt = helper_ptr(addr);
	uint64_t i;

	for (i = 0; i < size; i++) {
		if (!helper_mem_ok(rc, addr + i, 1, false))
			return run_ctx_fail(rc, -EFAULT,
					    "%s: format at 0x%llx is not memory the program may read",
					    helper, (unsigned long long)addr);
		if (!fmt[i])
			return (long)i;
	}
	return -EINVAL;
}

static uint64_t trace_common(struct uebpf_run_ctx *rc, const char *helper, uint64_t fmt_addr,
			     uint64_t fmt_size, const uint64_t *args, unsigned nargs)
{
	char buf[BPRINTF_BUF];
	struct out o = { buf, sizeof(buf), 0 };
	long len = fmt_length(rc, helper, fmt_addr, (uint32_t)fmt_size);
	int ret;

	if (len < 0)
		return (uint64_t)(int64_t)len;
	ret = bprintf(rc, helper_ptr(fmt_addr), (size_t)len, args, nargs, NULL);
	if (ret)
		return (uint64_t)(int64_t)ret;
	bprintf(rc, helper_ptr(fmt_addr), (size_t)len, args, nargs, &o);
	out_finish(&o);
	if (rc->env)
		env_trace(rc->env, buf, o.len < sizeof(buf) ? o.len : sizeof(buf) - 1);
	return o.len;
}

/* bpf_trace_printk(fmt, fmt_size, arg1, arg2, arg3): the length of the
 * formatted message, or -EINVAL. */
HELPER_FN(helper_trace_printk)
{
	const uint64_t args[TRACE_PRINTK_ARGS] = { r3, r4, r5 };

	return trace_common(rc, "bpf_trace_printk", r1, r2, args, TRACE_PRINTK_ARGS);
}

/* Reads the u64 argument array of vprintk/snprintf. */
static int get_data(struct uebpf_run_ctx *rc, const char *helper, uint64_t data,
		    uint64_t data_len, uint64_t *args)
{
	if (data_len % 8 || data_len > BPRINTF_MAX_ARGS * 8 || (data_len && !data))
		return -EINVAL;
	if (!helper_mem_ok(rc, data, data_len, false))
		return run_ctx_fail(rc, -EFAULT,
				    "%s: data [0x%llx, +%llu) is not memory the program may read",
				    helper, (unsigned long long)data, (unsigned long long)data_len);
	if (data_len)
		memcpy(args, helper_ptr(data), data_len);
	return 0;
}

/* bpf_trace_vprintk(fmt, fmt_size, data, data_len): as trace_printk with
 * up to 12 u64 arguments in data. */
HELPER_FN(helper_trace_vprintk)
{
	uint64_t args[BPRINTF_MAX_ARGS] = { 0 };
	int ret = get_data(rc, "bpf_trace_vprintk", r3, r4, args);

	(void)r5;
	if (ret)
		return (uint64_t)(int64_t)ret;
	return trace_common(rc, "bpf_trace_vprintk", r1, r2, args, (unsigned)(r4 / 8));
}

/* bpf_snprintf(str, str_size, fmt, data, data_len): writes at most
 * str_size bytes, NUL included, and returns the size the whole output
 * needs including the NUL; -EINVAL (str untouched) for a bad format or
 * data_len. */
HELPER_FN(helper_snprintf)
{
	uint64_t args[BPRINTF_MAX_ARGS] = { 0 };
	struct out o = { helper_ptr(r1), (uint32_t)r2, 0 };
	long len;
	int ret;

	ret = get_data(rc, "bpf_snprintf", r4, r5, args);
	if (ret)
		return (uint64_t)(int64_t)ret;
	len = fmt_length(rc, "bpf_snprintf", r3, UINT32_MAX);
	if (len < 0)
		return (uint64_t)(int64_t)len;
	ret = bprintf(rc, helper_ptr(r3), (size_t)len, args, (unsigned)(r5 / 8), NULL);
	if (ret)
		return (uint64_t)(int64_t)ret;
	if (!helper_mem_ok(rc, r1, o.size, true))
		return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
			"bpf_snprintf: str [0x%llx, +%zu) is not memory the program may write",
			(unsigned long long)r1, o.size);
	bprintf(rc, helper_ptr(r3), (size_t)len, args, (unsigned)(r5 / 8), &o);
	out_finish(&o);
	return o.len + 1;
}
