/* SPDX-License-Identifier: MIT */
/*
 * How fast is the interpreter on straight ALU code? Runs a loop of 10 ALU
 * instructions and a backward conditional jump for ITERATIONS rounds in the
 * checked and unchecked interpreter (and the JIT, when it compiles the
 * program), and the same loop written in C, and prints ns per executed
 * eBPF instruction and the slowdown against native code.
 *
 * usage: bench_interp [iterations]   (default 20000000)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "prog/prog.h"
#include "uebpf/uebpf.h"

#define INSN(CODE, DST, SRC, OFF, IMM) \
	((struct bpf_insn){ .code = (CODE), .dst_reg = (DST), .src_reg = (SRC), \
			    .off = (OFF), .imm = (IMM) })
#define ALU64_IMM(OP, D, I) INSN(BPF_ALU64 | BPF_K | (OP), D, 0, 0, I)
#define ALU64_REG(OP, D, S) INSN(BPF_ALU64 | BPF_X | (OP), D, S, 0, 0)

#define LOOP_BODY_INSNS 11 /* 10 ALU + the jump */

/* r1 = iterations (from mem_len, r2) */
static const struct bpf_insn loop_prog[] = {
	ALU64_REG(BPF_MOV, 1, 2),
	ALU64_IMM(BPF_MOV, 0, 0),
	ALU64_IMM(BPF_MOV, 2, 1),
	ALU64_IMM(BPF_MOV, 3, 2),
	ALU64_IMM(BPF_MOV, 5, 3),
	/* loop: */
	ALU64_REG(BPF_ADD, 0, 1),
	ALU64_REG(BPF_XOR, 2, 0),
	ALU64_IMM(BPF_ADD, 3, 7),
	ALU64_REG(BPF_MOV, 4, 3),
	ALU64_IMM(BPF_LSH, 4, 3),
	ALU64_REG(BPF_OR, 5, 4),
	ALU64_REG(BPF_ADD, 2, 5),
	ALU64_REG(BPF_XOR, 0, 2),
	ALU64_IMM(BPF_AND, 5, 0xffff),
	ALU64_IMM(BPF_SUB, 1, 1),
	INSN(BPF_JMP | BPF_K | BPF_JNE, 1, 0, -LOOP_BODY_INSNS, 0),
	INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
};
#define PROLOGUE_INSNS 5

/* The same computation in C. noinline and the opaque iteration count keep
 * the compiler from folding it away; it may still schedule it as it likes,
 * which is the point of the comparison. */
static __attribute__((noinline)) uint64_t native_loop(uint64_t r1)
{
	uint64_t r0 = 0, r2 = 1, r3 = 2, r4, r5 = 3;

	do {
		r0 += r1;
		r2 ^= r0;
		r3 += 7;
		r4 = r3;
		r4 <<= 3;
		r5 |= r4;
		r2 += r5;
		r0 ^= r2;
		r5 &= 0xffff;
		r1 -= 1;
		__asm__ volatile("" : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r5));
	} while (r1 != 0);
	return r0;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Best of three runs, in ns. */
static double time_engine(struct uebpf_prog *prog, enum uebpf_engine engine, uint32_t flags,
			  uint64_t iterations, uint64_t expect, int *status)
{
	static unsigned char dummy;
	double best = 0;

	for (int i = 0; i < 3; i++) {
		struct uebpf_run_opts opts = {
			.sz = sizeof(opts), .mem = &dummy, .mem_len = iterations,
			.engine = engine, .flags = flags, .insn_budget = UINT64_MAX,
		};
		struct uebpf_error err = { 0 };
		uint64_t r0 = 0;
		double t0 = now_ns(), t;
		int ret = uebpf_prog_run(prog, &opts, &r0, &err);

		t = now_ns() - t0;
		if (ret) {
			*status = ret;
			fprintf(stderr, "  (%s)\n", err.msg);
			return 0;
		}
		if (r0 != expect) {
			fprintf(stderr, "wrong result 0x%" PRIx64 ", native 0x%" PRIx64 "\n", r0, expect);
			exit(1);
		}
		if (i == 0 || t < best)
			best = t;
	}
	*status = 0;
	return best;
}

int main(int argc, char **argv)
{
	uint64_t iterations = argc > 1 ? strtoull(argv[1], NULL, 0) : 20000000;
	uint64_t executed = PROLOGUE_INSNS + iterations * LOOP_BODY_INSNS + 1;
	struct uebpf_prog_opts popts = { .sz = sizeof(popts), .name = "alu_loop" };
	struct uebpf_error err = { 0 };
	struct uebpf_prog *prog;
	double native = 1e300, t0;
	uint64_t expect = 0;
	static const struct {
		const char *name;
		enum uebpf_engine engine;
		uint32_t flags;
	} engines[] = {
		{ "interpreter, checked", UEBPF_ENGINE_INTERP, 0 },
		{ "interpreter, unchecked", UEBPF_ENGINE_INTERP, UEBPF_RUN_UNCHECKED },
		{ "JIT, checked", UEBPF_ENGINE_JIT, 0 },
		{ "JIT, unchecked", UEBPF_ENGINE_JIT, UEBPF_RUN_UNCHECKED },
	};

	if (iterations == 0) {
		fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
		return 2;
	}
	if (uebpf_prog_load(loop_prog, sizeof(loop_prog) / sizeof(loop_prog[0]), &popts, &prog,
			    &err)) {
		fprintf(stderr, "load: %s\n", err.msg);
		return 1;
	}
	/* Only so the unchecked rows can run: this program has no memory access. */
	prog->verified = true;

	for (int i = 0; i < 3; i++) {
		double t;

		t0 = now_ns();
		expect = native_loop(iterations);
		t = now_ns() - t0;
		if (t < native)
			native = t;
	}

	printf("ALU loop: %" PRIu64 " iterations x %d instructions = %" PRIu64
	       " eBPF instructions executed\n", iterations, LOOP_BODY_INSNS, executed);
	printf("%-24s %10.3f ns/insn\n", "native C (same loop)", native / (double)executed);
	for (size_t e = 0; e < sizeof(engines) / sizeof(engines[0]); e++) {
		int status = 0;
		double t = time_engine(prog, engines[e].engine, engines[e].flags, iterations,
				       expect, &status);

		if (status) {
			printf("%-24s unavailable (%d)\n", engines[e].name, status);
			continue;
		}
		printf("%-24s %10.3f ns/insn   %6.1fx native\n", engines[e].name,
		       t / (double)executed, t / native);
	}
	uebpf_prog_destroy(prog);
	return 0;
}
