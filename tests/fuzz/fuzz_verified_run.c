/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes -> uebpf_prog_load -> uebpf_prog_verify
 * (a raw program over exactly the input memory) -> when accepted, runs
 * WITHOUT runtime checks in the JIT (lean entry, idioms) and in the
 * interpreter, and once with checks in the interpreter as the referee.
 *
 * What it enforces is the contract of the verifier and the unchecked
 * engines together: a program the verifier accepts never makes the checked
 * run fault (that would be an access or a call the verifier should have
 * refused), never crashes the unchecked engines or trips a sanitizer, and
 * gives the same r0 and the same memory in all three runs. The runs share
 * one input buffer, so a program may leak its address and still compare
 * equal; the stack's address differs between engines (the JIT's lean entry
 * has its own frame), so programs that copy r10 are not compared, only run.
 * Input layout:
 * fuzz_input.h (the flags byte is ignored: memory is writable, no extra
 * region, as the verifier assumes for raw programs).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "fuzz_helpers.h"
#include "fuzz_input.h"
#include "uebpf/uebpf.h"
#include "uebpf/verifier.h"

/* Verification is the slow part; a smaller budget than the default keeps
 * the fuzzer's pace and still admits loops. */
#define FUZZ_VERIFY_BUDGET 100000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One run on `mem` (reset to `init`), its contents after the run copied to
 * `out`; returns the run's code. */
static int run_once(struct uebpf_prog *prog, const uint8_t *init, uint8_t *mem, size_t mem_len,
		    uint8_t *out, enum uebpf_engine engine, bool checked, uint64_t *r0)
{
	struct uebpf_error err;
	struct uebpf_run_opts opts = {
		.sz = sizeof(opts),
		.mem = mem_len ? mem : NULL,
		.mem_len = mem_len,
		.engine = engine,
		.flags = checked ? 0 : UEBPF_RUN_UNCHECKED,
	};
	int ret;

	memcpy(mem, init, mem_len);
	*r0 = 0;
	ret = uebpf_prog_run(prog, &opts, r0, &err);
	fuzz_check_error(ret, &err);
	if (ret)   /* every error is a finding but the budget's: say which */
		fprintf(stderr, "fuzz_verified_run: %s %s run: %s\n", checked ? "checked" : "unchecked",
			engine == UEBPF_ENGINE_JIT ? "JIT" : "interpreter", err.msg);
	memcpy(out, mem, mem_len);
	return ret;
}

/* Does any instruction copy r10 (mov/alu source, stored value, atomic
 * operand)? Then results may hold a stack address, which differs between
 * engines. */
static bool copies_fp(const struct bpf_insn *insns, size_t cnt)
{
	for (size_t i = 0; i < cnt; i++) {
		uint8_t cls = BPF_CLASS(insns[i].code);

		if (insns[i].src_reg == BPF_REG_10 &&
		    (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_STX ||
		     ((cls == BPF_JMP || cls == BPF_JMP32) && BPF_SRC(insns[i].code) == BPF_X)))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uebpf_verify_opts vopts = {
		.sz = sizeof(vopts), .prog_type = UEBPF_PROG_TYPE_RAW,
		.insn_budget = FUZZ_VERIFY_BUDGET,
	};
	struct uebpf_verify_result *result = NULL;
	struct uebpf_prog *prog = NULL;
	uint8_t *init = NULL, *mem = NULL, *mem_ref = NULL, *mem_jit = NULL, *mem_interp = NULL;
	uint64_t r0_ref, r0_jit, r0_interp;
	struct uebpf_error err;
	struct bpf_insn *insns;
	size_t mem_len, avail, insn_cnt;
	int ret;

	if (size < FUZZ_HEADER_LEN)
		return 0;
	mem_len = (size_t)(data[0] | data[1] << 8) % (FUZZ_MAX_MEM + 1);
	data += FUZZ_HEADER_LEN;
	size -= FUZZ_HEADER_LEN;

	/* Exactly mem_len bytes on the heap, so ASan sees an overrun by the
	 * interpreter or a helper. */
	init = calloc(1, mem_len + 1);
	mem = malloc(mem_len + 1);
	mem_ref = malloc(mem_len + 1);
	mem_jit = malloc(mem_len + 1);
	mem_interp = malloc(mem_len + 1);
	insn_cnt = size > mem_len ? (size - mem_len) / sizeof(struct bpf_insn) : 0;
	insns = malloc(insn_cnt ? insn_cnt * sizeof(*insns) : 1);
	if (!init || !mem || !mem_ref || !mem_jit || !mem_interp || !insns)
		goto out;
	avail = size < mem_len ? size : mem_len;
	memcpy(init, data, avail);
	data += avail;
	memcpy(insns, data, insn_cnt * sizeof(*insns));

	ret = fuzz_prog_load(insns, insn_cnt, &prog);
	if (ret)
		goto out;
	vopts.mem_size = mem_len;
	ret = uebpf_prog_verify(prog, &vopts, &result, &err);
	fuzz_check_error(ret, &err);
	if (ret || !uebpf_verify_result_accepted(result))
		goto out;

	ret = run_once(prog, init, mem, mem_len, mem_ref, UEBPF_ENGINE_INTERP, true, &r0_ref);
	/* A checked run may still stop on its instruction budget (verification
	 * bounds every path, not by the run's budget); any other error of an
	 * accepted program is a hole in the verifier. */
	if (ret == -E2BIG)
		goto out;
	if (ret)
		__builtin_trap();
	if (run_once(prog, init, mem, mem_len, mem_jit, UEBPF_ENGINE_JIT, false, &r0_jit) ||
	    run_once(prog, init, mem, mem_len, mem_interp, UEBPF_ENGINE_INTERP, false, &r0_interp))
		__builtin_trap();
	if (copies_fp(insns, insn_cnt))
		goto out;
	if (r0_jit != r0_ref || r0_interp != r0_ref || memcmp(mem_jit, mem_ref, mem_len) ||
	    memcmp(mem_interp, mem_ref, mem_len)) {
		fprintf(stderr, "fuzz_verified_run: results differ: r0 checked 0x%" PRIx64
			", JIT 0x%" PRIx64 ", interpreter 0x%" PRIx64 "\n", r0_ref, r0_jit, r0_interp);
		__builtin_trap();
	}
out:
	uebpf_verify_result_destroy(result);
	uebpf_prog_destroy(prog);
	free(insns);
	free(init);
	free(mem);
	free(mem_ref);
	free(mem_jit);
	free(mem_interp);
	return 0;
}
