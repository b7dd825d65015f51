/* SPDX-License-Identifier: MIT */
/*
 * progen: a seeded generator of random eBPF programs for differential
 * testing (uebpf vs the Linux kernel, interpreter vs JIT) and for verifier
 * soundness fuzzing.
 *
 * The same seed and options always give the same program body, whatever
 * the frame, so one body can be wrapped for several runtimes and their
 * results compared byte for byte.
 *
 * What a generated program does, in every frame:
 *  - r9 holds the address of a buffer (see "buffer layout"); the body never
 *    writes r9 or r10;
 *  - the body first fills its stack area (stack_len bytes below r10) with
 *    constants and sets r0..r8 from constants and loads from the buffer, so
 *    nothing it reads is uninitialised;
 *  - then it runs random ALU/ALU64 operations, byte swaps, sign extensions,
 *    loads/stores on the data area and the stack, stack atomics and forward
 *    branches (JMP/JMP32, if and if/else shapes, gotol), as enabled;
 *  - the epilogue stores r0..r8 (all 64 bits) and the whole stack area into
 *    the buffer's output part, so comparing buffers compares every
 *    observable effect.
 *
 * Everything it generates is accepted by the kernel's verifier for a
 * privileged XDP program: register divisors may be zero (the kernel and RFC
 * 9669 define the result), immediate divisors never are, immediate shifts
 * are in range, stack accesses are aligned and inside initialised slots,
 * every instruction is reachable, every jump goes forward.
 */
#ifndef UEBPF_TESTS_PROGEN_H
#define UEBPF_TESTS_PROGEN_H

#include <linux/bpf.h>
#include <stddef.h>
#include <stdint.h>

enum progen_feature {
	PROGEN_ALU64    = 1u << 0,  /* 64-bit ALU, immediate and register sources */
	PROGEN_ALU32    = 1u << 1,  /* 32-bit ALU */
	PROGEN_DIV      = 1u << 2,  /* div/mod (register divisors may be zero) */
	PROGEN_SIGNED   = 1u << 3,  /* v4: sdiv/smod, movsx, ldsx */
	PROGEN_BSWAP    = 1u << 4,  /* le/be, and v4 bswap when PROGEN_SIGNED */
	PROGEN_DATA     = 1u << 5,  /* loads/stores of all sizes on the data area */
	PROGEN_STACK    = 1u << 6,  /* loads/stores of all sizes on the stack */
	PROGEN_ATOMIC   = 1u << 7,  /* atomics (add/or/and/xor, fetch, xchg, cmpxchg) on the stack */
	PROGEN_BRANCH   = 1u << 8,  /* forward JMP/JMP32 branches, ja and gotol */
	PROGEN_LDDW     = 1u << 9,  /* 64-bit immediate loads */
	PROGEN_ALL      = (1u << 10) - 1,
};

struct progen_opts {
	uint32_t features;       /* enum progen_feature; 0 means PROGEN_ALL */
	uint32_t max_body_len;   /* random instructions after the initialisation;
				    each program takes between a quarter and all
				    of it; 0 means 64 */
	uint32_t data_len;       /* bytes of the data area, >= 8; 0 means 64 */
	uint32_t stack_len;      /* stack bytes used, multiple of 8 in 8..512;
				    0 means 64 */
	uint32_t max_branches;   /* bounds the kernel verifier's path count;
				    0 means 12 */
	uint32_t workarounds;    /* enum progen_workaround */
};

/* Shapes that steer around known bugs of a runtime under comparison, so one
 * known bug does not hide every other finding. Each costs a little coverage;
 * docs/testing.md describes the bugs. */
enum progen_workaround {
	/* Linux 6.18 runs wrong code after an atomic that returns the old value
	 * of a stack slot (fetch ops, xchg, cmpxchg): the verifier prunes a
	 * path on which the slot holds another value than on the path it
	 * checked, then removes code it wrongly believes dead; and a successful
	 * 32-bit cmpxchg on such a path keeps the upper half of r0 (RFC 9669
	 * zero-extends it). With this, progen emits only the atomics that
	 * return nothing (add, or, and, xor). */
	PROGEN_WA_LINUX_ATOMIC_FETCH = 1u << 0,
	PROGEN_WA_LINUX = PROGEN_WA_LINUX_ATOMIC_FETCH,
};

/* How the program receives the buffer. */
enum progen_frame {
	/* r1 = buffer address at entry (as uebpf_prog_run and the RFC
	 * conformance vectors do); returns the body's r0. */
	PROGEN_FRAME_RAW,
	/* r1 = struct xdp_md: loads data/data_end, checks the packet holds the
	 * whole buffer (returns XDP_ABORTED when not), returns XDP_PASS. */
	PROGEN_FRAME_XDP,
};

/* Buffer layout: [0, data_len) data the body reads and writes, then the
 * body's final r0..r8 as 8 little-endian bytes each from progen_out_regs(),
 * then the stack area copied from its lowest address (r10 - stack_len) up
 * at progen_out_stack(). */
#define PROGEN_OUT_REGS 9
size_t progen_buffer_len(const struct progen_opts *opts);
size_t progen_out_regs(const struct progen_opts *opts);
size_t progen_out_stack(const struct progen_opts *opts);

struct progen_prog {
	struct bpf_insn *insns;  /* malloc'd; free with progen_prog_free */
	size_t cnt;
	size_t body_start;       /* [body_start, body_end): the generated part, */
	size_t init_end;         /* of which [body_start, init_end) sets every
				    register and stack byte the rest may read */
	size_t body_end;
};

/* Generates the program for `seed`. Returns 0, -EINVAL for bad options,
 * -ENOMEM. */
int progen_generate(uint64_t seed, const struct progen_opts *opts,
		    enum progen_frame frame, struct progen_prog *out);
void progen_prog_free(struct progen_prog *prog);

/* Fills a buffer of progen_buffer_len(opts) bytes with the input for
 * `seed`: random data (biased to edge values) and a zeroed output part. */
void progen_fill_buffer(uint64_t seed, const struct progen_opts *opts,
			uint8_t *buf);

#endif
