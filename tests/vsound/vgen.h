/* SPDX-License-Identifier: MIT */
/*
 * vgen: a seeded generator of programs that stress the verifier's memory
 * safety reasoning, for soundness fuzzing (vsound) and kernel agreement
 * (vagree).
 *
 * Where progen (tests/kernel/progen.h) makes programs that are always
 * valid, vgen makes programs that sit on the edge: every memory access is
 * built from a pattern a real program uses (constant offsets, an index
 * bounded by a comparison or a mask, a packet range check, a map lookup
 * with its null check, a stack spill and fill, a bounded loop), and each
 * pattern is mutated with some probability (the bound off by one or
 * missing, the check on the wrong side or signed, a copy changed after
 * the check, a spilled pointer partly overwritten, ...). About half the
 * programs are accepted; those must be safe for every input.
 *
 * The generated code follows one register convention:
 *   r6  base of the data region: the raw buffer (raw programs) or the
 *       packet start (XDP programs); never changed after the prologue
 *   r7  raw: the buffer length (r2 at entry); XDP: data_end
 *   r8  XDP: the context pointer (raw: a scalar)
 *   r0-r5, r9  scratch (r1-r5 are clobbered by helper calls)
 * Raw programs know their buffer is `data_len` bytes; XDP programs check
 * `data_len` bytes against data_end in their prologue (and exit when the
 * packet is shorter), so both see a data region of data_len known bytes.
 */
#ifndef UEBPF_TESTS_VGEN_H
#define UEBPF_TESTS_VGEN_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum vgen_kind {
	VGEN_RAW,      /* UEBPF_PROG_TYPE_RAW, r1 = buffer of data_len bytes */
	VGEN_XDP,      /* BPF_PROG_TYPE_XDP */
};

/* The one map a program may use: an array map (lddw src 1, imm 0). */
#define VGEN_MAP_KEY_SIZE 4

struct vgen_opts {
	/* Chance in percent that a pattern is mutated (0: 20). */
	uint32_t mutate_percent;
	/* Patterns per program, at most (0: 8). */
	uint32_t max_patterns;
	/* Only generate this kind; -1: either. */
	int kind;
	/* Only the range-tracking pattern (random ALU and comparisons on an
	 * input value that then indexes the data region unchecked). */
	bool range_only;
};

struct vgen_prog {
	struct bpf_insn *insns;  /* malloc'd; vgen_prog_free */
	size_t cnt;
	enum vgen_kind kind;
	uint32_t data_len;       /* bytes of the data region the program assumes */
	bool uses_map;
	uint32_t map_value_size; /* array map value size, when uses_map */
	uint32_t map_max_entries;
	char patterns[256];      /* the patterns used, for reports */
};

/* Generates the program for `seed`. Returns 0 or -ENOMEM. */
int vgen_generate(uint64_t seed, const struct vgen_opts *opts, struct vgen_prog *out);
void vgen_prog_free(struct vgen_prog *prog);

/* Fills `len` bytes of input for run number `run` of `seed`: random bytes
 * biased to edge values (0x00, 0xff, 0x7f, 0x80, small numbers), or all
 * zero / all ones for some runs, so both sides of data-dependent branches
 * are taken. */
void vgen_fill_input(uint64_t seed, unsigned run, uint8_t *buf, size_t len);

#endif
