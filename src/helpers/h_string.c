/* SPDX-License-Identifier: MIT */
/*
 * bpf_strncmp, bpf_strtol, bpf_strtoul with the kernel's semantics
 * (kernel/bpf/helpers.c on top of lib/kstrtox.c), return values included:
 *
 *  strncmp: -1, 0 or 1 (bytes compared as unsigned char), at most s1_sz
 *           bytes, stopping at a NUL.
 *  strtol/strtoul(buf, buf_len, flags, res): flags = base (0, 8, 10, 16;
 *           0 detects "0x"/"0" prefixes); leading white space and one '-'
 *           are skipped; at most 63 characters after them are parsed.
 *           Returns the number of characters consumed (white space, sign
 *           and prefix included) and stores the value in *res; -EINVAL
 *           for bad flags/base, an empty string or no digits (and for a
 *           '-' with strtoul); -ERANGE on overflow. *res is only written
 *           on success.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "helpers/helpers_internal.h"

#define STRTOX_BASE_MASK 0x1fu   /* BPF_STRTOX_BASE_MASK */
#define STRTOX_MAX_CHARS 63u     /* the kernel parses a 64-byte copy */

static uint64_t bad_arg(struct uebpf_run_ctx *rc, const char *helper, const char *what,
			uint64_t addr, uint64_t size, bool write)
{
	return (uint64_t)(int64_t)run_ctx_fail(rc, -EFAULT,
		"%s: %s [0x%llx, +%llu) is not memory the program may %s", helper, what,
		(unsigned long long)addr, (unsigned long long)size, write ? "write" : "read");
}

/* bpf_strncmp(s1, s1_sz, s2): s2 is a NUL-terminated constant string. */
HELPER_FN(helper_strncmp)
{
	const uint8_t *s1 = helper_ptr(r1), *s2 = helper_ptr(r3);
	uint32_t n = (uint32_t)r2, i;

	(void)r4, (void)r5;
	if (!helper_mem_ok(rc, r1, n, false))
		return bad_arg(rc, "bpf_strncmp", "s1", r1, n, false);
	for (i = 0; i < n; i++) {
		if (!helper_mem_ok(rc, r3 + i, 1, false))
			return bad_arg(rc, "bpf_strncmp", "s2", r3, i + 1, false);
		if (s1[i] != s2[i])
			return (uint64_t)(int64_t)(s1[i] < s2[i] ? -1 : 1);
		if (!s1[i])
			break;
	}
	return 0;
}

/* The kernel's isspace(): its ctype table also counts 0xa0 (NBSP). */
static bool k_isspace(uint8_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static uint8_t k_tolower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool k_isxdigit(uint8_t c)
{
	c = k_tolower(c);
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Digits of `base` at s; *overflow when the value does not fit 64 bits
 * (the count still covers every digit, as the kernel's). */
static size_t parse_digits(const uint8_t *s, unsigned base, uint64_t *out, bool *overflow)
{
	uint64_t res = 0;
	size_t n = 0;

	*overflow = false;
	for (;; s++, n++) {
		uint8_t lc = k_tolower(*s);
		unsigned val;

		if (*s >= '0' && *s <= '9')
			val = *s - '0';
		else if (lc >= 'a' && lc <= 'f')
			val = lc - 'a' + 10;
		else
			break;
		if (val >= base)
			break;
		if (res > (UINT64_MAX - val) / base)
			*overflow = true;
		res = res * base + val;
	}
	*out = res;
	return n;
}

/* Returns the characters consumed or a negative errno. */
static long strtoull_k(const uint8_t *buf, size_t buf_len, uint64_t flags, uint64_t *res,
		       bool *negative)
{
	unsigned base = (unsigned)(flags & STRTOX_BASE_MASK);
	uint8_t str[STRTOX_MAX_CHARS + 1];
	size_t pos = 0, len, n;
	const uint8_t *s;
	bool overflow;

	if (!buf || !buf_len)
		return -EINVAL;
	if (base != 0 && base != 8 && base != 10 && base != 16)
		return -EINVAL;
	if (flags & ~(uint64_t)STRTOX_BASE_MASK)
		return -EINVAL;
	while (pos < buf_len && k_isspace(buf[pos]))
		pos++;
	*negative = pos < buf_len && buf[pos] == '-';
	if (*negative)
		pos++;
	if (pos == buf_len)
		return -EINVAL;
	len = buf_len - pos < STRTOX_MAX_CHARS ? buf_len - pos : STRTOX_MAX_CHARS;
	memcpy(str, buf + pos, len);
	str[len] = '\0';

	s = str;
	if (base == 0) {
		if (s[0] == '0')
			base = k_tolower(s[1]) == 'x' && k_isxdigit(s[2]) ? 16 : 8;
		else
			base = 10;
	}
	if (base == 16 && s[0] == '0' && k_tolower(s[1]) == 'x')
		s += 2;
	n = parse_digits(s, base, res, &overflow);
	if (overflow)
		return -ERANGE;
	if (n == 0)
		return -EINVAL;
	return (long)(pos + (size_t)(s - str) + n);
}

/* Checks buf and res; returns 0 or the value the helper must return. */
static uint64_t check_strtox(struct uebpf_run_ctx *rc, const char *helper, uint64_t buf,
			     uint64_t len, uint64_t res, bool *ok)
{
	*ok = false;
	if (!helper_mem_ok(rc, buf, len, false))
		return bad_arg(rc, helper, "buf", buf, len, false);
	/* The result is 8 bytes whatever the prototype lets the verifier
	 * prove, so it is checked in every run. */
	if (!res || !run_ctx_access_ok(rc, res, 8, true))
		return bad_arg(rc, helper, "res", res, 8, true);
	*ok = true;
	return 0;
}

HELPER_FN(helper_strtol)
{
	uint64_t value, bad;
	bool negative = false, ok;
	long n;

	(void)r5;
	bad = check_strtox(rc, "bpf_strtol", r1, r2, r4, &ok);
	if (!ok)
		return bad;
	n = strtoull_k(helper_ptr(r1), (size_t)r2, r3, &value, &negative);
	if (n < 0)
		return (uint64_t)(int64_t)n;
	if (negative) {
		if ((int64_t)(0 - value) > 0)
			return (uint64_t)(int64_t)-ERANGE;
		value = 0 - value;
	} else if ((int64_t)value < 0) {
		return (uint64_t)(int64_t)-ERANGE;
	}
	memcpy(helper_ptr(r4), &value, sizeof(value));
	return (uint64_t)n;
}

HELPER_FN(helper_strtoul)
{
	uint64_t value, bad;
	bool negative = false, ok;
	long n;

	(void)r5;
	bad = check_strtox(rc, "bpf_strtoul", r1, r2, r4, &ok);
	if (!ok)
		return bad;
	n = strtoull_k(helper_ptr(r1), (size_t)r2, r3, &value, &negative);
	if (n < 0)
		return (uint64_t)(int64_t)n;
	if (negative)
		return (uint64_t)(int64_t)-EINVAL;
	memcpy(helper_ptr(r4), &value, sizeof(value));
	return (uint64_t)n;
}
