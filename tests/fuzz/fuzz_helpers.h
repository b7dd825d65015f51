/* SPDX-License-Identifier: MIT */
#ifndef UEBPF_TESTS_FUZZ_HELPERS_H
#define UEBPF_TESTS_FUZZ_HELPERS_H

#include "uebpf/uebpf.h"

/* The helpers of fuzz_input.h, in one set made on first use (never freed:
 * it lives as long as the fuzzer process). */
struct uebpf_helper_set *fuzz_helper_set(void);

/* Traps unless `ret` is 0 or a negative errno with a message in `err`. */
void fuzz_check_error(int ret, const struct uebpf_error *err);

#endif
