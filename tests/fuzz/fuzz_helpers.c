/* SPDX-License-Identifier: MIT */
/*
 * What the libFuzzer targets over raw instructions share: the helpers the
 * fuzzed programs may call (fuzz_input.h) and the check that every failure
 * comes with a negative errno and a message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_helpers.h"
#include "fuzz_input.h"
#include "prog/prog.h"

/* The most bytes fuzz_sum and fuzz_fill touch. */
#define FUZZ_HELPER_MAX_LEN 4096

static uint64_t helper_identity(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
				uint64_t r5, struct uebpf_run_ctx *rc)
{
	(void)r2, (void)r3, (void)r4, (void)r5;
	if (r1 == 0)
		uebpf_run_ctx_exit(rc, 0);
	return r1;
}

/* Touches memory only after the same check the checked engines make. */
static uint64_t helper_sum(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			   uint64_t r5, struct uebpf_run_ctx *rc)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)r1;
	uint64_t sum = 0;

	(void)r3, (void)r4, (void)r5;
	if (r2 > FUZZ_HELPER_MAX_LEN || !run_ctx_access_ok(rc, r1, (uint32_t)r2, false))
		return (uint64_t)-EFAULT;
	for (uint64_t i = 0; i < r2; i++)
		sum += p[i];
	return sum;
}

static uint64_t helper_fill(uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
			    uint64_t r5, struct uebpf_run_ctx *rc)
{
	(void)r4, (void)r5;
	if (r2 == 0) /* any address is fine for nothing, even NULL */
		return 0;
	if (r2 > FUZZ_HELPER_MAX_LEN || !run_ctx_access_ok(rc, r1, (uint32_t)r2, true))
		return (uint64_t)-EFAULT;
	memset((void *)(uintptr_t)r1, (int)(uint8_t)r3, (size_t)r2);
	return 0;
}

static const struct uebpf_helper_proto fuzz_helpers[] = {
	{ .id = FUZZ_HELPER_IDENTITY, .name = "fuzz_identity", .fn = helper_identity,
	  .ret = UEBPF_RET_INTEGER, .args = { UEBPF_ARG_ANYTHING } },
	{ .id = FUZZ_HELPER_SUM, .name = "fuzz_sum", .fn = helper_sum,
	  .ret = UEBPF_RET_INTEGER, .args = { UEBPF_ARG_PTR_TO_MEM, UEBPF_ARG_CONST_SIZE_OR_ZERO } },
	{ .id = FUZZ_HELPER_FILL, .name = "fuzz_fill", .fn = helper_fill,
	  .ret = UEBPF_RET_INTEGER,
	  .args = { UEBPF_ARG_PTR_TO_UNINIT_MEM, UEBPF_ARG_CONST_SIZE_OR_ZERO, UEBPF_ARG_SCALAR } },
};

struct uebpf_helper_set *fuzz_helper_set(void)
{
	static struct uebpf_helper_set *set;

	if (set)
		return set;
	if (uebpf_helper_set_create(&set, NULL))
		abort();
	for (size_t i = 0; i < sizeof(fuzz_helpers) / sizeof(fuzz_helpers[0]); i++)
		if (uebpf_helper_set_add(set, &fuzz_helpers[i], NULL))
			abort();
	return set;
}

/* The API promises a negative errno and a message on every failure. */
void fuzz_check_error(int ret, const struct uebpf_error *err)
{
	if (ret > 0 || (ret < 0 && (err->code != ret || !memchr(err->msg, 0, sizeof(err->msg)) ||
				    !err->msg[0])))
		__builtin_trap();
}


int fuzz_prog_load(const struct bpf_insn *insns, size_t cnt, struct uebpf_prog **prog)
{
	const struct uebpf_prog_opts opts = {
		.sz = sizeof(opts), .name = "fuzz", .helpers = fuzz_helper_set(),
	};
	struct uebpf_error err;
	int ret = uebpf_prog_load(insns, cnt, &opts, prog, &err);

	fuzz_check_error(ret, &err);
	return ret;
}
