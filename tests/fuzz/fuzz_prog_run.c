/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes -> uebpf_prog_load -> checked
 * interpretation. Whatever the instructions do, loading must either refuse
 * them or run them to an end (r0, or an error such as -EFAULT for an access
 * outside the allowed memory and -E2BIG for the instruction budget) without
 * a crash or a sanitizer report. Input layout: fuzz_input.h.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "prog/prog.h"
#include "uebpf/uebpf.h"

/* Small, so that loops end fast and the fuzzer keeps its pace. */
#define FUZZ_INSN_BUDGET 10000
#define FUZZ_REGION_LEN 64
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

static struct uebpf_helper_set *helper_set(void)
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
static void check_error(int ret, const struct uebpf_error *err)
{
	if (ret > 0 || (ret < 0 && (err->code != ret || !memchr(err->msg, 0, sizeof(err->msg)) ||
				    !err->msg[0])))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uebpf_prog *prog = NULL;
	struct uebpf_error err;
	struct bpf_insn *insns;
	uint8_t region_mem[FUZZ_REGION_LEN] = { 0 };
	struct uebpf_region region = { region_mem, sizeof(region_mem), true };
	size_t mem_len, avail, insn_cnt;
	uint8_t *mem = NULL, flags;
	uint64_t retval;
	int ret;

	if (size < FUZZ_HEADER_LEN)
		return 0;
	mem_len = (size_t)(data[0] | data[1] << 8) % (FUZZ_MAX_MEM + 1);
	flags = data[2];
	data += FUZZ_HEADER_LEN;
	size -= FUZZ_HEADER_LEN;

	/* Exactly mem_len bytes on the heap, so ASan sees any overrun. */
	if (mem_len) {
		mem = malloc(mem_len);
		if (!mem)
			return 0;
		avail = size < mem_len ? size : mem_len;
		memcpy(mem, data, avail);
		memset(mem + avail, 0, mem_len - avail);
		data += avail;
		size -= avail;
	}

	insn_cnt = size / sizeof(struct bpf_insn);
	insns = malloc(insn_cnt ? insn_cnt * sizeof(*insns) : 1);
	if (!insns) {
		free(mem);
		return 0;
	}
	memcpy(insns, data, insn_cnt * sizeof(*insns));

	ret = uebpf_prog_load(insns, insn_cnt,
			      &(struct uebpf_prog_opts){ .sz = sizeof(struct uebpf_prog_opts),
							 .name = "fuzz", .helpers = helper_set() },
			      &prog, &err);
	check_error(ret, &err);
	if (!ret) {
		struct uebpf_run_opts opts = {
			.sz = sizeof(opts),
			.mem = mem,
			.mem_len = mem_len,
			.mem_readonly = flags & FUZZ_MEM_READONLY,
			.regions = flags & FUZZ_EXTRA_REGION ? &region : NULL,
			.nr_regions = flags & FUZZ_EXTRA_REGION ? 1 : 0,
			.insn_budget = FUZZ_INSN_BUDGET,
			.engine = UEBPF_ENGINE_INTERP,
		};

		check_error(uebpf_prog_run(prog, &opts, &retval, &err), &err);
		uebpf_prog_destroy(prog);
	}
	free(insns);
	free(mem);
	return 0;
}
