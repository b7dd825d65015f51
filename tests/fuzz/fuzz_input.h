/* SPDX-License-Identifier: MIT */
/*
 * The byte layout fuzz_prog_run reads, shared with the corpus seeder:
 *
 *   [0..1]  input memory length, little-endian, taken modulo FUZZ_MAX_MEM + 1
 *   [2]     flags (enum fuzz_flags)
 *   [3]     reserved
 *   [4..]   the input memory (zero-padded when the input is shorter),
 *           then the instructions, 8 bytes each (a trailing partial one is
 *           dropped)
 */
#ifndef UEBPF_TESTS_FUZZ_INPUT_H
#define UEBPF_TESTS_FUZZ_INPUT_H

#define FUZZ_HEADER_LEN 4
#define FUZZ_MAX_MEM 4096

enum fuzz_flags {
	FUZZ_MEM_READONLY = 1u << 0,  /* the input memory may not be written */
	FUZZ_EXTRA_REGION = 1u << 1,  /* pass one extra 64-byte writable region */
};

/* Helpers the fuzzed programs may call (ids as the conformance vectors use
 * 5 for "return the argument"). */
enum fuzz_helper_id {
	FUZZ_HELPER_IDENTITY = 5,     /* returns r1; r1 == 0 ends the program with r0 = 0 */
	FUZZ_HELPER_SUM = 6,          /* sums the r2 bytes at r1 */
	FUZZ_HELPER_FILL = 7,         /* writes byte r3 into the r2 bytes at r1 */
};

#endif
