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

#include "fuzz_helpers.h"
#include "fuzz_input.h"
#include "prog/prog.h"
#include "uebpf/uebpf.h"

/* Small, so that loops end fast and the fuzzer keeps its pace. */
#define FUZZ_INSN_BUDGET 10000
#define FUZZ_REGION_LEN 64

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

	ret = fuzz_prog_load(insns, insn_cnt, &prog);
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

		fuzz_check_error(uebpf_prog_run(prog, &opts, &retval, &err), &err);
		uebpf_prog_destroy(prog);
	}
	free(insns);
	free(mem);
	return 0;
}
