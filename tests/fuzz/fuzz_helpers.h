/* SPDX-License-Identifier: MIT */
#ifndef UEBPF_TESTS_FUZZ_HELPERS_H
#define UEBPF_TESTS_FUZZ_HELPERS_H

#include "uebpf/uebpf.h"

/* The helpers of fuzz_input.h, in one set made on first use (never freed:
 * it lives as long as the fuzzer process). */
struct uebpf_helper_set *fuzz_helper_set(void);

/* uebpf_prog_load with that set; traps on a failure without a proper
 * errno and message (fuzz_check_error). */
int fuzz_prog_load(const struct bpf_insn *insns, size_t cnt, struct uebpf_prog **prog);

/* Traps unless `ret` is 0 or a negative errno with a message in `err`. */
void fuzz_check_error(int ret, const struct uebpf_error *err);

#endif
