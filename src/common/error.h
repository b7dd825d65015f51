/* SPDX-License-Identifier: MIT */
#ifndef UEBPF_COMMON_ERROR_H
#define UEBPF_COMMON_ERROR_H

#include "uebpf/uebpf.h"

/* Fills `err` (when not NULL) with `code` and the formatted message and
 * returns `code`, so callers can write `return uebpf_err(err, -EINVAL, ...)`. */
int uebpf_err(struct uebpf_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prepends "prefix: " to an error already in `err`; returns err->code. */
int uebpf_err_prefix(struct uebpf_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
